// Helpers for the personal-data tests: keyrings of random keys, a private migrated database (rotation
// and retention sweep whole tables, so they must not touch — or be touched by — other test files), a
// raw pg client to read what is really stored, and complaints filed through the real use case.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDatabase, type Database } from '../../services/db/client';
import { migrate } from '../../services/db/migrate';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { createComplaint } from '../../services/complaints/create-complaint';
import { pooledSql } from '../../services/db/sql';
import { linkConversationStatement } from '../../services/transcripts/transcript-store';
import { DEFAULT_POLICY, type ComplaintPolicy } from '../../services/policy/policy';
import type { PiiKeyring } from '../../services/pii/pii-keys';
import { createTestDatabase } from '../support/database';
import { calmAnalysis, randomMobile, testCalendar, TEST_PII_HASH_KEY } from '../support/app';

export function newKey(): string {
  return randomBytes(32).toString('base64');
}

export function keyringOf(keys: Record<string, string>, currentKeyId: string): PiiKeyring {
  return { currentKeyId, keys: new Map(Object.entries(keys).map(([id, k]) => [id, Buffer.from(k, 'base64')])) };
}

export interface PrivatePiiDatabase {
  url: string;
  raw: Client;
  /** A client of the app on this database with the given keys. */
  connect(keyring: PiiKeyring): Database;
  drop(): Promise<void>;
}

export async function privatePiiDatabase(): Promise<PrivatePiiDatabase> {
  const created = await createTestDatabase();
  await migrate({ databaseUrl: created.url });
  const clients: Database[] = [];
  const seedDb = createDatabase({ databaseUrl: created.url, poolSize: 2 });
  await seedDemoData(seedDb);
  await seedDb.$disconnect();
  const raw = new Client({ connectionString: created.url });
  await raw.connect();
  return {
    url: created.url,
    raw,
    connect(keyring) {
      const db = createDatabase({ databaseUrl: created.url, poolSize: 4, pii: keyring });
      clients.push(db);
      return db;
    },
    async drop() {
      await Promise.all(clients.map((c) => c.$disconnect()));
      await raw.end();
      await created.drop();
    },
  };
}

export interface Person {
  name: string;
  phone: string;
  email: string;
  referenceNumber: string;
}

export function newPerson(): Person {
  const tag = randomUUID().slice(0, 6);
  return {
    name: `欧阳娜娜${tag}`, phone: randomMobile(), email: `nana-${tag}@example.test`,
    // A policy number of ten digits: a random hex code had fewer than the 5 digits the transcript
    // redaction needs after 保单号 about one time in eight, and the redaction test failed by chance.
    referenceNumber: `P${String(randomInt(1e10)).padStart(10, '0')}`,
  };
}

/** Files a complaint for `person` through the real intake use case, accepted at `now`. */
export async function fileFor(db: Database, person: Person, options: { now?: Date; businessLine?: 'insurance' | 'securities'; policy?: ComplaintPolicy; channelUserId?: string } = {}) {
  const line = options.businessLine ?? 'insurance';
  const userId = options.channelUserId ?? `user-${randomUUID()}`;
  return createComplaint({
    db,
    analysis: calmAnalysis(),
    draft: {
      businessLine: line,
      type: line === 'insurance' ? 'claims_dispute' : 'securities_trading',
      description: `我是${person.name}，保单号${person.referenceNumber}理赔被拒，请回电${person.phone}或发邮件到${person.email}`,
      occurredOn: '2026年9月1日',
      referenceNumber: person.referenceNumber,
      claimedLossYuan: 8888.5,
      name: person.name,
      phone: person.phone,
      email: person.email,
      feedbackMethod: 'phone',
    },
    source: { channelId: 'webchat', channelUserId: userId, locale: 'zh-CN' },
    actor: { type: 'customer', id: userId, channel: 'webchat' },
    consent: { noticeVersion: 'privacy-2026.1' },
    policy: options.policy ?? DEFAULT_POLICY,
    calendar: testCalendar(),
    piiHashKey: TEST_PII_HASH_KEY,
    now: options.now ?? new Date(),
  });
}

/** Links a conversation's transcript so far to a complaint, as a chat filing does (createComplaint's linkConversationTranscript). */
export async function linkTranscript(db: Database, key: Parameters<typeof linkConversationStatement>[0]): Promise<void> {
  const { text, values } = linkConversationStatement(key);
  await pooledSql(db).query(text, values);
}
