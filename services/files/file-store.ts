// The shared file store: e-mail attachments and evidence uploaded in the console. Metadata (and the
// `file.stored` event) in PostgreSQL, bytes on disk under FILE_STORE_DIR. The path on disk is made
// from the row's random id (`ab/<uuid>`), never from the client's file name, so no name can climb out
// of the directory or overwrite another file. Files are never served from here without a role check
// (the serving route belongs to the console).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { loadConfig } from '../config';
import type { Database, Prisma } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent, type Actor } from '../complaints/record-event';

export interface FileStoreSettings {
  /** FILE_STORE_DIR (relative paths count from the working directory). */
  dir: string;
  /** FILE_MAX_BYTES: the largest file accepted. */
  maxBytes: number;
  /** FILE_ALLOWED_TYPES: lower-case content types without parameters. */
  allowedTypes: string[];
}

export type FileSource = 'email' | 'console';

export interface StoreFileOptions {
  /** A client (own transaction for the row and its event) or the caller's transaction (joins it). */
  db: Database | Prisma.TransactionClient;
  complaintId: string;
  /** The client's name for the file: kept as metadata only (it may be personal data: never logged). */
  fileName: string;
  contentType: string;
  data: Buffer;
  source: FileSource;
  actor: Actor;
  /** Default: the FILE_* settings of the environment (services/config.ts). */
  settings?: FileStoreSettings;
  now?: Date;
}

export interface StoredFileInfo {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Where the bytes are under FILE_STORE_DIR (for clean-up after an outer transaction rolled back). */
  storageKey: string;
}

export interface StoredFileMeta extends Omit<StoredFileInfo, 'storageKey'> {
  complaintId: string;
  source: FileSource;
  createdAt: Date;
  createdBy: { type: string; id: string | null };
}

/** Why a file was refused, for callers that explain it (details.reason of the AppError). */
export type FileRefusal = 'file_empty' | 'file_too_large' | 'file_type_not_allowed';

let environmentSettings: FileStoreSettings | undefined;
function defaultSettings(): FileStoreSettings {
  environmentSettings ??= loadConfig().files;
  return environmentSettings;
}

/** The store bound to settings (the app builds one from its config: `app.files`). */
export function createFileStore(settings: FileStoreSettings) {
  return {
    settings,
    storeFile: (options: Omit<StoreFileOptions, 'settings'>) => storeFile({ ...options, settings }),
    readStoredFile: (options: { db: Database | Prisma.TransactionClient; id: string }) => readStoredFile({ ...options, settings }),
    checkFile: (file: { contentType: string; size: number }) => checkFile(file, settings),
  };
}
export type FileStore = ReturnType<typeof createFileStore>;

/** Checks size and type against the limits; throws INVALID_INPUT with details.reason when refused. */
export function checkFile({ contentType, size }: { contentType: string; size: number }, settings: FileStoreSettings = defaultSettings()): string {
  const type = normaliseContentType(contentType);
  if (size === 0) refuse('file_empty', 'the file is empty', '文件为空。 / The file is empty.', {});
  if (size > settings.maxBytes) {
    refuse('file_too_large', `the file has ${size} bytes; the limit is ${settings.maxBytes}`,
      `文件过大（上限 ${formatMegabytes(settings.maxBytes)}）。 / The file is too large (limit ${formatMegabytes(settings.maxBytes)}).`,
      { sizeBytes: size, limitBytes: settings.maxBytes });
  }
  if (!settings.allowedTypes.includes(type)) {
    refuse('file_type_not_allowed', `files of type ${type || '(none)'} are not accepted`,
      '不支持此文件类型，请上传 PDF、图片、Office 文档或录音。 / This file type is not accepted: please send a PDF, a picture, an Office document or a recording.',
      { contentType: type, allowedTypes: settings.allowedTypes });
  }
  return type;
}

export async function storeFile(options: StoreFileOptions): Promise<StoredFileInfo> {
  const { db, complaintId, data, source, actor, now = new Date() } = options;
  const settings = options.settings ?? defaultSettings();
  if (!Buffer.isBuffer(data)) throw new AppError('INVALID_INPUT', { message: 'file data must be a Buffer' });
  const contentType = checkFile({ contentType: options.contentType, size: data.length }, settings);
  const fileName = cleanFileName(options.fileName);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const id = randomUUID();
  const storageKey = `${id.slice(0, 2)}/${id}`;
  await writeBytes(settings, storageKey, data);
  try {
    const insert = async (tx: Prisma.TransactionClient) => {
      await tx.storedFile.create({
        data: {
          id, complaintId, originalName: fileName, contentType, sizeBytes: data.length, sha256, storageKey, source,
          createdByType: actor.type, createdById: actor.id ?? null, createdAt: now,
        },
      });
      // No file name in the event: names like "张三身份证.jpg" are personal data.
      await recordComplaintEvent(tx, {
        complaintId, type: 'file.stored', actor, occurredAt: now,
        payload: { fileId: id, contentType, sizeBytes: data.length, sha256, source },
      });
    };
    if (isClient(db)) await db.$transaction(insert);
    else await insert(db);
  } catch (err) {
    await removeStoredBytes(settings, storageKey);
    throw err;
  }
  return { id, fileName, contentType, size: data.length, sha256, storageKey };
}

/** The file's metadata and a stream of its bytes. NOT_FOUND when there is no such file (or its bytes are gone). */
export async function readStoredFile({ db, id, settings = defaultSettings() }: {
  db: Database | Prisma.TransactionClient; id: string; settings?: FileStoreSettings;
}): Promise<{ meta: StoredFileMeta; stream: Readable }> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('NOT_FOUND', { message: 'no stored file with that id' });
  const row = await db.storedFile.findUnique({ where: { id } });
  if (!row) throw new AppError('NOT_FOUND', { message: `no stored file ${id}` });
  let handle;
  try {
    handle = await open(bytesPath(settings, row.storageKey), 'r');
  } catch (err) {
    throw new AppError('NOT_FOUND', { message: `the bytes of stored file ${id} are missing from the file store`, cause: err });
  }
  return {
    meta: {
      id: row.id, complaintId: row.complaintId, fileName: row.originalName, contentType: row.contentType,
      size: row.sizeBytes, sha256: row.sha256, source: row.source, createdAt: row.createdAt,
      createdBy: { type: row.createdByType, id: row.createdById },
    },
    stream: handle.createReadStream(),
  };
}

/** Deletes the bytes of a file whose row was never committed (best effort; a missing file is fine). */
export async function removeStoredBytes(settings: FileStoreSettings, storageKey: string): Promise<void> {
  await unlink(bytesPath(settings, storageKey)).catch(() => {});
}

/** Written to a temporary name, flushed, then renamed: a crash never leaves a half file under the real key. */
async function writeBytes(settings: FileStoreSettings, storageKey: string, data: Buffer): Promise<void> {
  const target = bytesPath(settings, storageKey);
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(4).toString('hex')}.part`;
  const handle = await open(temporary, 'wx', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, target);
  } catch (err) {
    await unlink(temporary).catch(() => {});
    throw err;
  }
}

function bytesPath(settings: FileStoreSettings, storageKey: string): string {
  if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(storageKey)) throw new Error('invalid storage key');
  return path.resolve(settings.dir, storageKey);
}

/** "image/JPEG; name=x.jpg" → "image/jpeg"; the common non-standard jpeg alias as well. */
export function normaliseContentType(contentType: string): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'image/jpg' || type === 'image/pjpeg' ? 'image/jpeg' : type;
}

/** The last path segment, without control characters, at most 255 characters; "unnamed" if nothing is left. */
export function cleanFileName(name: string): string {
  const base = String(name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').normalize('NFC').trim();
  return [...(cleaned === '' || cleaned === '.' || cleaned === '..' ? 'unnamed' : cleaned)].slice(0, 255).join('');
}

function refuse(reason: FileRefusal, message: string, userMessage: string, details: Record<string, unknown>): never {
  throw new AppError('INVALID_INPUT', { message, userMessage, details: { reason, ...details } });
}

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function isClient(db: Database | Prisma.TransactionClient): db is Database {
  return typeof (db as Partial<Database>).$transaction === 'function';
}
