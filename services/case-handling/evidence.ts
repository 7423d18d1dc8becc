// R-INVESTIGATE evidence: handlers upload files into the shared file store (services/files, which
// enforces FILE_MAX_BYTES and FILE_ALLOWED_TYPES and records `file.stored`); the bytes must match the
// declared type. Reading a file is role-checked here — the complaint's handlers, the leadership
// group, admin and the supervision department — and every download is on record (`evidence.viewed`),
// since evidence is often personal data.
import type { Readable } from 'node:stream';
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { recordComplaintEvent } from '../complaints/record-event';
import { removeStoredBytes, type FileStore, type StoredFileInfo } from '../files/file-store';
import { isUuid } from '../ids';
import { actorOf, assertHandler, assertOpen, assertValidNow, findCase, isHandler, lockCase, type CaseStaff } from './case-access';
import { contentMatchesType } from './file-signature';

export interface EvidenceAdded {
  id: string;
  number: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export async function addEvidence(options: {
  db: Database; files: FileStore; number: string; fileName: string; contentType: string; data: Buffer; staff: CaseStaff; now: Date; channel?: string;
}): Promise<EvidenceAdded> {
  const { db, files, staff, now, data } = options;
  assertValidNow(now);
  const complaint = await findCase(db, options.number);
  assertHandler(staff, complaint, 'add evidence');
  const contentType = files.checkFile({ contentType: options.contentType, size: data.length });
  if (!contentMatchesType(contentType, data)) {
    throw new AppError('INVALID_INPUT', {
      message: `the file's content is not ${contentType}`,
      details: { reason: 'file_content_mismatch', contentType },
    });
  }
  let stored: StoredFileInfo | undefined;
  try {
    return await db.$transaction(async (tx) => {
      const current = await lockCase(tx, complaint.id);
      assertOpen(current);
      stored = await files.storeFile({
        db: tx, complaintId: complaint.id, fileName: options.fileName, contentType, data, source: 'console', actor: actorOf(staff, options.channel), now,
      });
      const { storageKey: _key, ...info } = stored;
      return { ...info, number: current.number };
    });
  } catch (err) {
    if (stored) await removeStoredBytes(files.settings, stored.storageKey);
    throw err;
  }
}

/** Who may read a complaint's evidence. */
export function mayReadEvidence(staff: CaseStaff, complaint: Parameters<typeof isHandler>[1]): boolean {
  return staff.role === 'leadership' || staff.role === 'admin' || staff.role === 'supervision' || isHandler(staff, complaint);
}

export async function openEvidence(options: {
  db: Database; files: FileStore; number: string; fileId: string; staff: CaseStaff; now: Date; channel?: string;
}): Promise<{ fileName: string; contentType: string; size: number; sha256: string; stream: Readable }> {
  const { db, files, staff, now, fileId } = options;
  const complaint = await findCase(db, options.number);
  if (!mayReadEvidence(staff, complaint)) {
    throw new AppError('FORBIDDEN', { message: `only handlers of complaint ${complaint.number}, the leadership group and the supervision department may read its evidence` });
  }
  const row = isUuid(fileId) ? await db.storedFile.findFirst({ where: { id: fileId, complaintId: complaint.id }, select: { id: true } }) : null;
  if (!row) throw new AppError('NOT_FOUND', { message: `complaint ${complaint.number} has no file ${fileId}` });
  const { meta, stream } = await files.readStoredFile({ db, id: row.id });
  try {
    await recordComplaintEvent(db, { complaintId: complaint.id, type: 'evidence.viewed', actor: actorOf(staff, options.channel), occurredAt: now, payload: { fileId: row.id } });
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return { fileName: meta.fileName, contentType: meta.contentType, size: meta.size, sha256: meta.sha256, stream };
}
