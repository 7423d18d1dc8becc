// Anonymises one complaint past retention: the personal data goes, the statistics stay (line, type,
// tier, channel, dates, amounts, deadlines, events). What changes:
//  - complaint: reference number and channel user id removed, description scrubbed (names, phones,
//    e-mail, ID and account numbers replaced by [姓名] [电话] … — services/reports/anonymise-text.ts);
//  - transcript messages, e-mails and the survey comment of the complaint: scrubbed the same way;
//    stored files' original names replaced; the conversation reference (the customer's channel
//    address) deleted;
//  - the complainant: name, phone, e-mail and their look-up hashes removed — only once none of their
//    complaints is still within retention (a newer complaint keeps its contact data);
//  - an event `complaint.anonymised` (field names and counts, never values).
// Idempotent: the complaint is claimed with `anonymised_at IS NULL` in the same transaction.
// Not scrubbed: case records (append-only by design; written by staff) — see README "Personal data".
import type { Database, Prisma } from '../db/client';
import { recordComplaintEvent } from '../complaints/record-event';
import { anonymiseText, type KnownPersonalData } from '../reports/anonymise-text';

export const ANONYMISED_NAME = '[已匿名]';

export interface AnonymiseResult {
  anonymised: boolean;
  complainantAnonymised: boolean;
}

export async function anonymiseComplaint({ db, complaintId, cutoff, retentionYears, now }: { db: Database; complaintId: string; cutoff: Date; retentionYears: number; now: Date }): Promise<AnonymiseResult> {
  return db.$transaction(async (tx) => {
    const claim = await tx.complaint.updateMany({
      where: { id: complaintId, status: 'closed', closedAt: { lt: cutoff }, anonymisedAt: null },
      data: { anonymisedAt: now },
    });
    if (claim.count === 0) return { anonymised: false, complainantAnonymised: false };
    const c = await tx.complaint.findUniqueOrThrow({
      where: { id: complaintId },
      select: { description: true, referenceNumber: true, channelUserId: true, complainantId: true, complainant: { select: { name: true, phone: true, email: true, anonymisedAt: true } } },
    });
    const known: KnownPersonalData = {
      names: c.complainant.anonymisedAt ? [] : [c.complainant.name],
      identifiers: [c.complainant.phone, c.complainant.email, c.referenceNumber, c.channelUserId].filter((v): v is string => !!v),
    };
    const scrub = (text: string | null) => (text === null ? null : anonymiseText(text, known));

    await tx.complaint.update({ where: { id: complaintId }, data: { description: scrub(c.description)!, referenceNumber: null, channelUserId: null } });
    const transcripts = await scrubRows(tx.transcriptMessage, { complaintId }, ['text'], scrub);
    const emails = await scrubRows(tx.emailMessage, { complaintId }, ['subject', 'bodyText'], scrub);
    const surveys = await scrubRows(tx.satisfactionSurvey, { complaintId, comment: { not: null } }, ['comment'], scrub);
    const files = await tx.storedFile.updateMany({ where: { complaintId }, data: { originalName: ANONYMISED_NAME } });
    await tx.conversationReference.deleteMany({ where: { complaintId } });

    // The complainant's contact data goes with their last complaint still holding personal data.
    const stillHeld = await tx.complaint.count({ where: { complainantId: c.complainantId, anonymisedAt: null } });
    const complainantAnonymised = stillHeld === 0 && !c.complainant.anonymisedAt;
    if (complainantAnonymised) {
      await tx.complainant.update({
        where: { id: c.complainantId },
        data: { name: ANONYMISED_NAME, phone: null, phoneHash: null, email: null, emailHash: null, anonymisedAt: now },
      });
      await tx.wechatUser.updateMany({ where: { complainantId: c.complainantId }, data: { complainantId: null } });
    }
    await recordComplaintEvent(tx, {
      complaintId, type: 'complaint.anonymised', actor: { type: 'system', id: 'retention' }, occurredAt: now,
      payload: {
        retentionYears,
        fields: ['referenceNumber', 'channelUserId', 'description'],
        scrubbed: { transcriptMessages: transcripts, emails, surveyComments: surveys, files: files.count },
        complainantAnonymised,
      },
    });
    return { anonymised: true, complainantAnonymised };
  }, { timeout: 60_000 });
}

type Scrub = (text: string | null) => string | null;
type Delegate = {
  findMany(args: { where: Record<string, unknown>; select: Record<string, boolean> }): Promise<Record<string, unknown>[]>;
  update(args: { where: { id: never }; data: Record<string, unknown> }): Promise<unknown>;
};

/** Rewrites the text columns of every matching row through `scrub`; returns how many rows changed. */
async function scrubRows(delegate: unknown, where: Record<string, unknown>, columns: string[], scrub: Scrub): Promise<number> {
  const d = delegate as Delegate;
  const rows = await d.findMany({ where, select: Object.fromEntries([['id', true], ...columns.map((c) => [c, true])]) });
  let changed = 0;
  for (const row of rows) {
    const data: Record<string, unknown> = {};
    for (const column of columns) {
      const before = row[column] as string | null;
      const after = scrub(before);
      if (after !== before) data[column] = after;
    }
    if (Object.keys(data).length === 0) continue;
    await d.update({ where: { id: row.id as never }, data });
    changed++;
  }
  return changed;
}

export type { Prisma };
