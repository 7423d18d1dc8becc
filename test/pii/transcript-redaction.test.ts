// Transcripts are stored with personal data redacted (read back over pg, not through the app), while the
// complaint keeps the real values encrypted; staff allowed to reveal see the complainant's own phone
// again (from the complaint row), never numbers the transcript did not keep.
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appendTranscriptMessage } from '../../services/transcripts/transcript-store';
import { readMaskedComplaintTranscript, revealComplaintTranscript } from '../../services/transcripts/complaint-transcript';
import { testDb } from '../support/app';
import { testDatabaseUrl } from '../support/database';
import { fileFor, linkTranscript, newPerson } from './pii-support';

const db = testDb(3);
afterAll(async () => {
  await db.$disconnect();
});

describe('transcript redaction at rest', () => {
  it('stores 138****5678 / [身份证号] / [邮箱] / [账号], keeps the real values on the complaint, reveals only the own phone', async () => {
    const person = newPerson();
    const filed = await fileFor(db, person);
    const complaint = await db.complaint.findUniqueOrThrow({ where: { id: filed.id }, select: { number: true } });
    const key = { channelId: 'test-pii', conversationId: `conv-${randomUUID()}` };
    const otherPhone = '13912340000';
    await appendTranscriptMessage(db, { ...key, direction: 'inbound', actorType: 'customer', text: `我叫${person.name}，电话${person.phone}，身份证110101199003074514`, occurredAt: new Date() });
    await appendTranscriptMessage(db, { ...key, direction: 'inbound', actorType: 'customer', text: `保单号 ${person.referenceNumber}，邮箱 ${person.email}，我老婆的电话 ${otherPhone}`, occurredAt: new Date() });
    await appendTranscriptMessage(db, { ...key, direction: 'outbound', actorType: 'bot', text: `您的投诉已受理，投诉编号 ${complaint.number}`, occurredAt: new Date() });
    await linkTranscript(db, { ...key, complaintId: filed.id });

    const raw = new Client({ connectionString: testDatabaseUrl() });
    await raw.connect();
    const stored = (await raw.query('SELECT text FROM transcript_message WHERE conversation_id = $1 ORDER BY id', [key.conversationId])).rows.map((r) => r.text as string);
    await raw.end();
    const all = stored.join('\n');
    for (const value of [person.phone, person.email, person.referenceNumber, '110101199003074514', otherPhone]) expect(all).not.toContain(value);
    expect(stored[0]).toBe(`我叫${person.name}，电话${person.phone.slice(0, 3)}****${person.phone.slice(-4)}，身份证[身份证号]`);
    expect(stored[1]).toBe('保单号 [账号]，邮箱 [邮箱]，我老婆的电话 139****0000');
    expect(stored[2]).toContain(complaint.number); // our own number is no personal data: still readable

    // The complaint row still holds the real values (encrypted at rest, plaintext through the app).
    expect(await db.complaint.findUniqueOrThrow({ where: { id: filed.id }, select: { referenceNumber: true, complainant: { select: { phone: true } } } }))
      .toEqual({ referenceNumber: person.referenceNumber, complainant: { phone: person.phone } });

    // Masked view: no name, no phone; reveal by a supervisor: the own phone back, the other number not.
    const viewer = { id: randomUUID(), role: 'admin' as const, departmentId: null };
    const masked = await readMaskedComplaintTranscript({ db, number: complaint.number, viewer });
    expect(JSON.stringify(masked.messages)).not.toContain(person.name);
    const supervisor = { id: randomUUID(), role: 'supervision' as const, departmentId: null };
    const revealed = await revealComplaintTranscript({ db, number: complaint.number, viewer: supervisor, now: new Date() });
    expect(revealed.messages[0]!.text).toContain(person.phone);
    expect(revealed.messages[1]!.text).toContain('139****0000');
  });
});
