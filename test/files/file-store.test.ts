// The shared file store on the real PostgreSQL and a real directory: bytes come back identical with
// their SHA-256, the path on disk never comes from the client's file name, limits refuse with a clear
// reason and leave nothing behind, and every stored file is an event on its complaint (without the name).
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../services/config';
import { AppError } from '../../services/errors';
import { createFileStore, readStoredFile, storeFile, type FileStoreSettings } from '../../services/files/file-store';
import { randomMobile, testConfig, testDb, testDesk } from '../support/app';

const db = testDb(3);
let dir: string;
let settings: FileStoreSettings;
let complaintId: string;
const staffActor = { type: 'staff' as const, id: randomUUID(), channel: 'console' };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'file-store-'));
  settings = { dir, maxBytes: 64 * 1024, allowedTypes: ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'] };
  const filed = await testDesk(db).fileComplaint({
    draft: { businessLine: 'insurance', type: 'claims_dispute', description: '理赔被拒，附上证据材料', name: '测试', phone: randomMobile(), feedbackMethod: 'phone' },
    user: { channelId: 'test-files', channelUserId: randomUUID() },
    locale: 'zh-CN',
    reference: { channelId: 'test-files', serviceUrl: 'https://test.invalid', conversation: { id: randomUUID() } },
    consent: { noticeVersion: 'test' },
    submissionId: randomUUID(),
  });
  complaintId = filed.id;
});
afterAll(async () => {
  await db.$disconnect();
  await rm(dir, { recursive: true, force: true });
});

async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('storing and reading a file', () => {
  it('gives back the same bytes with their SHA-256, and records a file.stored event without the file name', async () => {
    const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]);
    const stored = await storeFile({ db, complaintId, fileName: '张三的保单.pdf', contentType: 'application/PDF; name="x.pdf"', data, source: 'console', actor: staffActor, settings });

    expect(stored).toMatchObject({ fileName: '张三的保单.pdf', contentType: 'application/pdf', size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    const { meta, stream } = await readStoredFile({ db, id: stored.id, settings });
    expect(await readAll(stream)).toEqual(data);
    expect(meta).toMatchObject({ id: stored.id, complaintId, fileName: '张三的保单.pdf', contentType: 'application/pdf', size: data.length, source: 'console', createdBy: { type: 'staff', id: staffActor.id } });

    const events = await db.complaintEvent.findMany({ where: { complaintId, type: 'file.stored' }, select: { payload: true, actorType: true, actorId: true } });
    const event = events.find((e) => (e.payload as { fileId?: string }).fileId === stored.id);
    expect(event).toMatchObject({ actorType: 'staff', actorId: staffActor.id, payload: { contentType: 'application/pdf', sizeBytes: data.length, sha256: stored.sha256, source: 'console' } });
    expect(JSON.stringify(event)).not.toContain('张三');
  });

  it('keeps the bytes under FILE_STORE_DIR at a path made from the id, whatever the client calls the file', async () => {
    const before = await filesOnDisk();
    const stored = await storeFile({ db, complaintId, fileName: '../../../../tmp/evil\u0000.txt', contentType: 'text/plain', data: Buffer.from('hello'), source: 'email', actor: { type: 'system', id: 'test' }, settings });
    const added = (await filesOnDisk()).filter((f) => !before.includes(f));
    expect(added).toEqual([`${stored.id.slice(0, 2)}/${stored.id}`]);
    expect(stored.fileName).toBe('evil.txt');
    const { stream } = await readStoredFile({ db, id: stored.id, settings });
    expect((await readAll(stream)).toString()).toBe('hello');
  });

  it('works inside the caller\'s transaction: rolled back with it', async () => {
    let storedId = '';
    await expect(
      db.$transaction(async (tx) => {
        storedId = (await storeFile({ db: tx, complaintId, fileName: 'a.png', contentType: 'image/png', data: randomBytes(100), source: 'email', actor: { type: 'system', id: 'test' }, settings })).id;
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await db.storedFile.findUnique({ where: { id: storedId } })).toBeNull();
  });

  it('a bound store (app.files) uses its settings', async () => {
    const store = createFileStore(settings);
    const stored = await store.storeFile({ db, complaintId, fileName: 'scan.jpg', contentType: 'image/jpg', data: randomBytes(10), source: 'console', actor: staffActor });
    expect(stored.contentType).toBe('image/jpeg');
    const read = await store.readStoredFile({ db, id: stored.id });
    read.stream.destroy();
    expect(read.meta.size).toBe(10);
  });
});

describe('refusals', () => {
  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    const err = await promise.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }

  it('refuses a file over the size limit, a type not allowed and an empty file, and leaves nothing on disk or in the database', async () => {
    const before = await filesOnDisk();
    const countBefore = await db.storedFile.count({ where: { complaintId } });
    const base = { db, complaintId, fileName: 'x', source: 'console' as const, actor: staffActor, settings };

    const tooLarge = await refusal(storeFile({ ...base, contentType: 'application/pdf', data: randomBytes(64 * 1024 + 1) }));
    expect(tooLarge.code).toBe('INVALID_INPUT');
    expect(tooLarge.details).toMatchObject({ reason: 'file_too_large', limitBytes: 64 * 1024 });
    expect(tooLarge.userMessage).toContain('文件过大');

    const wrongType = await refusal(storeFile({ ...base, contentType: 'application/x-msdownload', data: randomBytes(10) }));
    expect(wrongType.details).toMatchObject({ reason: 'file_type_not_allowed', contentType: 'application/x-msdownload' });

    const empty = await refusal(storeFile({ ...base, contentType: 'text/plain', data: Buffer.alloc(0) }));
    expect(empty.details).toMatchObject({ reason: 'file_empty' });

    expect(await filesOnDisk()).toEqual(before);
    expect(await db.storedFile.count({ where: { complaintId } })).toBe(countBefore);
  });

  it('removes the bytes again when the row cannot be written (no such complaint)', async () => {
    const before = await filesOnDisk();
    await expect(storeFile({ db, complaintId: randomUUID(), fileName: 'x.pdf', contentType: 'application/pdf', data: randomBytes(10), source: 'console', actor: staffActor, settings })).rejects.toThrow();
    expect(await filesOnDisk()).toEqual(before);
  });

  it('NOT_FOUND for an unknown id, a malformed id, or bytes missing from disk', async () => {
    expect((await refusal(readStoredFile({ db, id: randomUUID(), settings }))).code).toBe('NOT_FOUND');
    expect((await refusal(readStoredFile({ db, id: '../etc/passwd', settings }))).code).toBe('NOT_FOUND');
    const stored = await storeFile({ db, complaintId, fileName: 'gone.txt', contentType: 'text/plain', data: Buffer.from('x'), source: 'console', actor: staffActor, settings });
    await rm(path.join(dir, stored.storageKey));
    expect((await refusal(readStoredFile({ db, id: stored.id, settings }))).code).toBe('NOT_FOUND');
  });
});

describe('settings', () => {
  it('reads FILE_STORE_DIR, FILE_MAX_BYTES and FILE_ALLOWED_TYPES, with defaults, and refuses a malformed type list', () => {
    expect(testConfig().files).toMatchObject({ dir: 'var/files', maxBytes: 10 * 1024 * 1024 });
    expect(testConfig().files.allowedTypes).toContain('application/pdf');
    expect(testConfig({ FILE_STORE_DIR: '/srv/files', FILE_MAX_BYTES: '2048', FILE_ALLOWED_TYPES: 'Image/PNG, application/pdf' }).files)
      .toEqual({ dir: '/srv/files', maxBytes: 2048, allowedTypes: ['image/png', 'application/pdf'] });
    expect(() => testConfig({ FILE_ALLOWED_TYPES: 'pdf' })).toThrow(ConfigError);
    expect(() => testConfig({ FILE_MAX_BYTES: '-1' })).toThrow(/FILE_MAX_BYTES/);
  });
});
