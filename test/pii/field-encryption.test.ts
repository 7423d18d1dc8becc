// Personal data encrypted at rest: what PostgreSQL holds is ciphertext (read over pg, not through the
// app); the app reads plaintext; a tampered value or one moved to another column is an error, never
// garbage; legacy plaintext rows keep working and `pii:encrypt` / `keys:rotate` move everything to the
// current key, after which the old key is no longer needed; look-up by phone goes through the keyed hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../services/db/client';
import { phoneLookupHash } from '../../services/complainants/upsert-complainant';
import { EncryptedColumnFilterError } from '../../services/pii/encrypting-client';
import { PiiDecryptError } from '../../services/pii/field-cipher';
import { countStaleValues, reencryptColumns } from '../../services/pii/reencrypt-columns';
import { redactStoredTranscripts } from '../../services/transcripts/redact-stored-transcripts';
import { TEST_PII_HASH_KEY } from '../support/app';
import { fileFor, keyringOf, newKey, newPerson, privatePiiDatabase, type PrivatePiiDatabase } from './pii-support';

const k1 = newKey();
const k2 = newKey();
const ring1 = keyringOf({ k1 }, 'k1');
const ring12 = keyringOf({ k1, k2 }, 'k2');
const ring2only = keyringOf({ k2 }, 'k2');

let store: PrivatePiiDatabase;
let db: Database;
beforeAll(async () => {
  store = await privatePiiDatabase();
  db = store.connect(ring1);
});
afterAll(async () => {
  await store?.drop();
});

async function rawComplainant(id: string) {
  return (await store.raw.query('SELECT name, phone, email, phone_hash FROM complainant WHERE id = $1', [id])).rows[0] as Record<string, string | null>;
}

describe('encryption at rest', () => {
  it('stores ciphertext bound to key k1 and reads the plaintext back through the app', async () => {
    const person = newPerson();
    const filed = await fileFor(db, person);
    const { complainantId } = await db.complaint.findUniqueOrThrow({ where: { id: filed.id }, select: { complainantId: true } });

    const row = await rawComplainant(complainantId);
    for (const column of ['name', 'phone', 'email'] as const) expect(row[column]).toMatch(/^enc:v1:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    const everything = JSON.stringify((await store.raw.query('SELECT * FROM complainant WHERE id = $1', [complainantId])).rows);
    expect(everything).not.toContain(person.phone);
    expect(everything).not.toContain(person.name);
    expect(everything).not.toContain(person.email);
    const { reference_number, description } = (await store.raw.query('SELECT reference_number, description FROM complaint WHERE id = $1', [filed.id])).rows[0];
    expect(reference_number).toMatch(/^enc:v1:k1:/);
    expect(reference_number).not.toContain(person.referenceNumber);
    // The customer's own account of the matter, which often quotes numbers and names, too.
    expect(description).toMatch(/^enc:v1:k1:/);
    for (const value of [person.name, person.phone, person.email, person.referenceNumber]) expect(description).not.toContain(value);

    // Through the app, nested relations included.
    const read = await db.complaint.findUniqueOrThrow({ where: { id: filed.id }, select: { referenceNumber: true, description: true, complainant: { select: { name: true, phone: true, email: true } } } });
    expect(read).toMatchObject({ referenceNumber: person.referenceNumber, complainant: { name: person.name, phone: person.phone, email: person.email } });
    expect(read.description).toBe(`我是${person.name}，保单号${person.referenceNumber}理赔被拒，请回电${person.phone}或发邮件到${person.email}`);
    const viaList = await db.complainant.findMany({ where: { id: complainantId }, include: { complaints: { select: { referenceNumber: true } } } });
    expect(viaList[0]).toMatchObject({ name: person.name, complaints: [{ referenceNumber: person.referenceNumber }] });
  });

  it('encrypts each value with its own IV: the same phone twice gives two different ciphertexts', async () => {
    const person = newPerson();
    const a = await db.complainant.create({ data: { name: person.name, phone: person.phone, phoneHash: randomUUID() } });
    const b = await db.complainant.create({ data: { name: person.name, phone: person.phone, phoneHash: randomUUID() } });
    expect((await rawComplainant(a.id)).phone).not.toBe((await rawComplainant(b.id)).phone);
    expect(a.phone).toBe(person.phone);
  });

  it('finds a complainant by the keyed hash of the phone, and the hash is not the bare SHA-256 of it', async () => {
    const person = newPerson();
    await fileFor(db, person);
    const found = await db.complainant.findUniqueOrThrow({ where: { phoneHash: phoneLookupHash(person.phone, TEST_PII_HASH_KEY) }, select: { name: true, phone: true } });
    expect(found).toEqual({ name: person.name, phone: person.phone });
    expect(await db.complainant.findUnique({ where: { phoneHash: phoneLookupHash(person.phone, 'another-hash-key-0123456789abcdefgh') } })).toBeNull();
  });

  it('refuses to filter or sort on an encrypted column instead of silently matching nothing', async () => {
    await expect(db.complainant.findFirst({ where: { phone: '13800138000' } })).rejects.toBeInstanceOf(EncryptedColumnFilterError);
    await expect(db.complaint.findMany({ where: { complainant: { is: { name: { contains: '王' } } } } })).rejects.toBeInstanceOf(EncryptedColumnFilterError);
    await expect(db.complaint.findMany({ orderBy: { referenceNumber: 'asc' } })).rejects.toBeInstanceOf(EncryptedColumnFilterError);
    // A null check is fine: encryption keeps NULL.
    await expect(db.complaint.count({ where: { referenceNumber: null } })).resolves.toBeTypeOf('number');
  });
});

describe('tampering', () => {
  it('a flipped byte, a value from another column and a value from another key are errors, not garbage', async () => {
    const person = newPerson();
    const filed = await fileFor(db, person);
    const { complainantId } = await db.complaint.findUniqueOrThrow({ where: { id: filed.id }, select: { complainantId: true } });
    const row = await rawComplainant(complainantId);

    // The e-mail's ciphertext copied into the name column.
    await store.raw.query('UPDATE complainant SET name = $2 WHERE id = $1', [complainantId, row.email]);
    await expect(db.complainant.findUniqueOrThrow({ where: { id: complainantId } })).rejects.toThrow(/complainant\.name: authentication failed/);

    // One character of the ciphertext changed.
    const body = row.name!.split(':')[4]!;
    const flipped = `${row.name!.split(':').slice(0, 4).join(':')}:${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    await store.raw.query('UPDATE complainant SET name = $2 WHERE id = $1', [complainantId, flipped]);
    const err = await db.complainant.findUniqueOrThrow({ where: { id: complainantId } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PiiDecryptError);
    expect(String((err as Error).message)).not.toContain(person.name);

    // A client without the key the value was written under says which key is missing.
    await store.raw.query('UPDATE complainant SET name = $2 WHERE id = $1', [complainantId, row.name]);
    await expect(store.connect(ring2only).complainant.findUniqueOrThrow({ where: { id: complainantId } })).rejects.toThrow(/key "k1" is not configured/);
    expect((await db.complainant.findUniqueOrThrow({ where: { id: complainantId } })).name).toBe(person.name);
  });
});

describe('legacy plaintext rows, pii:encrypt and keys:rotate', () => {
  it('reads plaintext rows, encrypts them, rotates every value to k2 and then needs k1 no more', async () => {
    // A row from before encryption (written straight to the table, as the old code did).
    const legacy = newPerson();
    const legacyId = randomUUID();
    await store.raw.query('INSERT INTO complainant (id, name, phone, phone_hash, email, updated_at) VALUES ($1, $2, $3, $4, $5, now())', [legacyId, legacy.name, legacy.phone, phoneLookupHash(legacy.phone, TEST_PII_HASH_KEY), legacy.email]);
    expect(await db.complainant.findUniqueOrThrow({ where: { id: legacyId }, select: { name: true, phone: true } })).toEqual({ name: legacy.name, phone: legacy.phone });
    const current = newPerson();
    const filed = await fileFor(db, current);

    // pii:encrypt with k1 current: the plaintext row is encrypted; a second run has nothing to do.
    const first = await reencryptColumns({ db, keyring: ring1, batchSize: 3 });
    expect(first.failures).toEqual([]);
    const name = first.columns.find((c) => c.table === 'complainant' && c.column === 'name')!;
    expect(name.fromPlaintext).toBeGreaterThanOrEqual(1);
    expect((await rawComplainant(legacyId)).name).toMatch(/^enc:v1:k1:/);
    const again = await reencryptColumns({ db, keyring: ring1 });
    expect(again.columns.every((c) => c.rewritten === 0)).toBe(true);
    expect(again.rowsExamined).toBe(0);

    // keys:rotate to k2 (k1 still configured to read the old values).
    const db12 = store.connect(ring12);
    const rotated = await reencryptColumns({ db: db12, keyring: ring12, batchSize: 2 });
    expect(rotated.failures).toEqual([]);
    expect(rotated.columns.find((c) => c.table === 'complaint')!.rewritten).toBeGreaterThanOrEqual(1);
    expect(await countStaleValues(db12, ring12)).toEqual(expect.arrayContaining([expect.objectContaining({ stale: 0 })]));
    expect((await countStaleValues(db12, ring12)).every((c) => c.stale === 0)).toBe(true);
    const { rows: stillK1 } = await store.raw.query(`SELECT count(*)::int AS n FROM complainant WHERE name LIKE 'enc:v1:k1:%' OR phone LIKE 'enc:v1:k1:%' OR email LIKE 'enc:v1:k1:%'`);
    expect(stillK1[0].n).toBe(0);
    expect((await reencryptColumns({ db: db12, keyring: ring12 })).rowsExamined).toBe(0);

    // Only k2 now: everything reads.
    const db2 = store.connect(ring2only);
    expect(await db2.complainant.findUniqueOrThrow({ where: { id: legacyId }, select: { name: true, phone: true, email: true } })).toEqual({ name: legacy.name, phone: legacy.phone, email: legacy.email });
    const read = await db2.complaint.findUniqueOrThrow({ where: { id: filed.id }, select: { referenceNumber: true, complainant: { select: { name: true } } } });
    expect(read).toEqual({ referenceNumber: current.referenceNumber, complainant: { name: current.name } });
    await expect(db2.complainant.findMany({ select: { name: true, phone: true, email: true } })).resolves.toBeInstanceOf(Array);
  });

  it('pii:encrypt also redacts transcript messages stored before redaction, once', async () => {
    const person = newPerson();
    const { rows } = await store.raw.query(
      `INSERT INTO transcript_message (channel_id, conversation_id, direction, actor_type, text) VALUES ('legacy', $1, 'inbound', 'customer', $2), ('legacy', $1, 'outbound', 'bot', '好的') RETURNING id`,
      [`conv-${randomUUID()}`, `电话${person.phone}，邮箱${person.email}`],
    );
    const first = await redactStoredTranscripts({ db, batchSize: 1 });
    expect(first.redacted).toBeGreaterThanOrEqual(1);
    const { rows: after } = await store.raw.query('SELECT text FROM transcript_message WHERE id = ANY($1::bigint[]) ORDER BY id', [rows.map((r) => r.id)]);
    expect(after.map((r) => r.text)).toEqual([`电话${person.phone.slice(0, 3)}****${person.phone.slice(-4)}，邮箱[邮箱]`, '好的']);
    expect((await redactStoredTranscripts({ db })).redacted).toBe(0);
  });

  it('leaves alone a row the running service changed between read and write', async () => {
    const person = newPerson();
    const id = randomUUID();
    await store.raw.query('INSERT INTO complainant (id, name, phone, phone_hash, updated_at) VALUES ($1, $2, $3, $4, now())', [id, person.name, person.phone, randomUUID()]);
    const ring3 = keyringOf({ k1, k2, k3: newKey() }, 'k3');
    const db3 = store.connect(ring3);
    let raced = false;
    const report = await reencryptColumns({
      db: {
        ...db3,
        $queryRawUnsafe: db3.$queryRawUnsafe.bind(db3),
        $executeRawUnsafe: async (sql: string, ...values: unknown[]) => {
          if (!raced && (values[0] as string) === id) {
            raced = true;
            await db3.complainant.update({ where: { id }, data: { name: '新名字' } });
          }
          return db3.$executeRawUnsafe(sql, ...values);
        },
      } as unknown as Database,
      keyring: ring3,
    });
    expect(raced).toBe(true);
    expect(report.skippedConcurrent).toBeGreaterThanOrEqual(1);
    expect((await db3.complainant.findUniqueOrThrow({ where: { id } })).name).toBe('新名字');
  });
});
