// Evidence files: handlers upload them (raw body, octet-stream) into the shared file store under the
// configured directory, within FILE_MAX_BYTES and FILE_ALLOWED_TYPES, with content that matches the
// declared type; reading one is role-checked and always a download (attachment, the stored type,
// nosniff), and every read is on record.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { contentMatchesType } from '../../services/case-handling/file-signature';
import { servedType } from '../../bot/case-routes';
import { testDb } from '../support/app';
import { startApp, type RunningApp } from '../support/e2e';
import { call, createTeam, fileClaimsComplaint, type Team } from './case-support';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const MAX = 4096;

let running: RunningApp;
let db: Database;
let team: Team;
let fileDir: string;
let number: string;
let complaintId: string;

beforeAll(async () => {
  fileDir = await mkdtemp(path.join(tmpdir(), 'case-evidence-'));
  running = await startApp({ FILE_STORE_DIR: fileDir, FILE_MAX_BYTES: String(MAX) });
  db = testDb(2);
  team = await createTeam(db);
  ({ number, id: complaintId } = await fileClaimsComplaint(db));
  expect((await call(running.baseUrl, 'POST', `/api/v1/complaints/${number}/owner`, team.supervisor.token, { staffId: team.agent.id })).status).toBe(200);
});
afterAll(async () => {
  await running?.app.close();
  await db?.$disconnect();
  await rm(fileDir, { recursive: true, force: true });
});

async function upload(token: string | null, data: Buffer, type: string, name = 'evidence.bin', target = number) {
  const res = await fetch(`${running.baseUrl}/api/v1/complaints/${target}/evidence`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-file-type': type, 'x-file-name': encodeURIComponent(name), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: data,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function download(token: string | null, fileId: string) {
  return fetch(`${running.baseUrl}/api/v1/complaints/${number}/evidence/${fileId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function filesOnDisk(): Promise<number> {
  const dirs = await readdir(fileDir).catch(() => [] as string[]);
  let count = 0;
  for (const d of dirs) count += (await readdir(path.join(fileDir, d))).length;
  return count;
}

describe('upload', () => {
  it('the owner uploads a photo and a PDF; they are stored under the configured directory with their hash', async () => {
    const photo = await upload(team.agent.token, PNG, 'image/png', '现场照片.png');
    expect(photo).toMatchObject({ status: 201, body: { fileName: '现场照片.png', contentType: 'image/png', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') } });
    expect((await upload(team.supervisor.token, PDF, 'application/pdf', 'report.pdf')).status).toBe(201);
    expect(await filesOnDisk()).toBe(2);
    const stored = await db.complaintEvent.findMany({ where: { complaintId, type: 'file.stored' } });
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(stored.map((e) => e.payload))).not.toContain('现场照片');
  });

  it('refuses a file over FILE_MAX_BYTES (413), a type not allowed or content that is not the declared type (415), an empty file (400); nothing is stored', async () => {
    const before = await filesOnDisk();
    const tooBig = await upload(team.agent.token, Buffer.concat([PDF, Buffer.alloc(MAX)]), 'application/pdf');
    expect(tooBig).toMatchObject({ status: 413, body: { error: 'file_too_large' } });
    // Sent in chunks without a Content-Length: the limit holds while reading.
    const chunks = [PDF, Buffer.alloc(MAX / 2), Buffer.alloc(MAX / 2)];
    const chunked = await fetch(`${running.baseUrl}/api/v1/complaints/${number}/evidence`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-file-type': 'application/pdf', authorization: `Bearer ${team.agent.token}` },
      body: new ReadableStream({ pull(controller) { const next = chunks.shift(); if (next) controller.enqueue(next); else controller.close(); } }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect(await upload(team.agent.token, html, 'text/html', 'page.html')).toMatchObject({ status: 415, body: { error: 'file_type_not_allowed' } });
    expect(await upload(team.agent.token, html, 'image/png', 'photo.png')).toMatchObject({ status: 415, body: { error: 'file_content_mismatch' } });
    expect(await upload(team.agent.token, html, 'text/plain', 'notes.txt')).toMatchObject({ status: 415, body: { error: 'file_content_mismatch' } });
    expect((await upload(team.agent.token, Buffer.alloc(0), 'image/png')).status).toBe(400);
    // A form or JSON is not a file.
    const asJson = await fetch(`${running.baseUrl}/api/v1/complaints/${number}/evidence`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${team.agent.token}` }, body: JSON.stringify({ file: 'x' }),
    });
    expect(asJson.status).toBe(415);
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
    const asForm = await fetch(`${running.baseUrl}/api/v1/complaints/${number}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${team.agent.token}` }, body: form });
    expect(asForm.status).toBe(415);
    expect(await filesOnDisk()).toBe(before);
  });

  it('only handlers upload: anonymous 401, supervision 403, an agent who does not own the complaint 403', async () => {
    expect((await upload(null, PNG, 'image/png')).status).toBe(401);
    expect((await upload(team.supervision.token, PNG, 'image/png')).status).toBe(403);
    expect((await upload(team.agent2.token, PNG, 'image/png')).status).toBe(403);
    expect((await upload(team.otherSupervisor.token, PNG, 'image/png')).status).toBe(403);
  });
});

describe('download', () => {
  it('is an attachment with the stored type, role-checked, and on record', async () => {
    const { body } = await upload(team.agent.token, PNG, 'image/png', '理赔单 "扫描".png');
    const fileId = String(body.id);

    const res = await download(team.agent.token, fileId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe('理赔单 "扫描".png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);

    // The supervision department and the leadership group read it; others do not.
    expect((await download(team.supervision.token, fileId)).status).toBe(200);
    expect((await download(team.leadership.token, fileId)).status).toBe(200);
    expect((await download(null, fileId)).status).toBe(401);
    expect((await download(team.agent2.token, fileId)).status).toBe(403);
    expect((await download(team.otherSupervisor.token, fileId)).status).toBe(403);

    // A file of another complaint is not reachable through this one.
    const other = await fileClaimsComplaint(db);
    expect((await call(running.baseUrl, 'POST', `/api/v1/complaints/${other.number}/owner`, team.supervisor.token, { staffId: team.agent.id })).status).toBe(200);
    const foreign = await upload(team.agent.token, PNG, 'image/png', 'x.png', other.number);
    expect((await download(team.agent.token, String(foreign.body.id))).status).toBe(404);
    expect((await download(team.agent.token, 'not-a-file')).status).toBe(404);

    const views = await db.complaintEvent.findMany({ where: { complaintId, type: 'evidence.viewed' }, orderBy: { id: 'asc' } });
    expect(views.map((v) => v.actorId)).toEqual([team.agent.id, team.supervision.id, team.leadership.id]);
  });
});

describe('served types (pure)', () => {
  it('keeps the stored type, except types a browser would run', () => {
    expect(servedType('image/png')).toBe('image/png');
    expect(servedType('application/pdf')).toBe('application/pdf');
    for (const active of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript', 'application/xml']) {
      expect(servedType(active)).toBe('application/octet-stream');
    }
  });
});

describe('content signatures (pure)', () => {
  it.each([
    ['image/png', PNG, true], ['application/pdf', PDF, true], ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), true],
    ['image/jpeg', PNG, false], ['application/pdf', PNG, false], ['text/plain', Buffer.from('客户来电记录\n'), true],
    ['text/plain', Buffer.from('<!DOCTYPE html><p>'), false], ['text/plain', Buffer.from([0xc3, 0x28]), false],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', Buffer.from('PK\u0003\u0004rest'), true],
  ] as const)('%s', (type, data, ok) => {
    expect(contentMatchesType(type, data)).toBe(ok);
  });
});
