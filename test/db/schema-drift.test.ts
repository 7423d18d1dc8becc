// schema.prisma and the migrations must describe the same database. This project writes its SQL
// migrations by hand (Prisma's engine is not available offline), so this test is what notices when
// one is changed without the other.
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../services/db/migrate';
import { createTestDatabase, testDatabaseUrl } from '../support/database';
import { compareSchemaWithDatabase, parsePrismaSchema } from '../support/schema-drift';

const schemaPath = new URL('../../prisma/schema.prisma', import.meta.url);
const schema = readFileSync(schemaPath, 'utf8');

/** The schema with `search` replaced; fails loudly if `search` is not there (so no case passes by accident). */
function edit(search: string | RegExp, replacement: string): string {
  const changed = schema.replace(search, replacement);
  if (changed === schema) throw new Error(`test setup: ${String(search)} not found in schema.prisma`);
  parsePrismaSchema(changed); // the edited schema must still be valid
  return changed;
}

describe('schema.prisma vs the migrated database', () => {
  it('agree', async () => {
    const drift = await compareSchemaWithDatabase(schema, testDatabaseUrl());
    expect(drift, `schema.prisma and prisma/migrations disagree:\n${drift.join('\n')}`).toEqual([]);
  });
});

describe('compareSchemaWithDatabase() reports drift', () => {
  const cases: Array<{ what: string; schema: () => string; expected: string[] }> = [
    {
      what: 'a field the database lacks',
      schema: () => edit('  nameEn       String        @map("name_en")\n', '  nameEn       String        @map("name_en")\n  extraNote    String?       @map("extra_note")\n'),
      expected: ['column department.extra_note (Department.extraNote) is missing in the database'],
    },
    {
      what: 'a column the schema lacks',
      schema: () => edit(/\n  occurredOn +String\? +@map\("occurred_on"\)/, ''),
      expected: ['column complaint.occurred_on exists in the database but not in schema.prisma (model Complaint)'],
    },
    {
      what: 'a different @db type',
      schema: () => edit('@db.Decimal(18, 2)', '@db.Decimal(10, 2)'),
      expected: [
        'column complaint.claimed_loss_yuan (Complaint.claimedLossYuan): type differs: schema.prisma (Decimal? @db.Decimal(10, 2)) means numeric(10,2), the database has numeric(18,2)',
      ],
    },
    {
      what: 'a different scalar type',
      schema: () => edit('  lastValue Int    @map("last_value")', '  lastValue BigInt @map("last_value")'),
      expected: [
        'column complaint_sequence.last_value (ComplaintSequence.lastValue): type differs: schema.prisma (BigInt) means bigint, the database has integer',
      ],
    },
    {
      what: 'different nullability',
      // Complainant.email, whatever the column alignment prisma format chose.
      schema: () => edit(/(model Complainant \{[^}]*?\n\s+email\s+)String\?/, '$1String'),
      expected: [
        'column complainant.email (Complainant.email): nullability differs: schema.prisma says required (NOT NULL), the database has nullable',
      ],
    },
    {
      what: 'a different default',
      schema: () => edit('@default("zh-CN")', '@default("en")'),
      expected: [`column complaint.locale (Complaint.locale): default differs: schema.prisma says "en", the database has DEFAULT 'zh-CN'::text`],
    },
    {
      what: 'an enum value the database lacks',
      schema: () => edit('  reopened\n', '  reopened\n  escalated\n'),
      expected: ['enum type "complaint_status" (enum ComplaintStatus): value "escalated" is missing in the database'],
    },
    {
      what: 'a missing model table',
      schema: () => `${schema}\nmodel AuditNote {\n  id   Int    @id\n  text String\n\n  @@map("audit_note")\n}\n`,
      expected: ['table "audit_note" (model AuditNote) is missing in the database'],
    },
    {
      what: 'an @@index the database lacks',
      schema: () => edit('  @@index([dueAt])\n', '  @@index([dueAt])\n  @@index([breachedAt])\n'),
      expected: ['@@index([breachedAt]) of ComplaintDeadline on complaint_deadline(breached_at) is missing in the database'],
    },
    {
      what: 'an index the schema lacks',
      schema: () => edit('  @@index([status])\n', ''),
      expected: ['index "complaint_status_idx" on complaint(status) exists in the database but not in schema.prisma'],
    },
    {
      what: 'a @unique that is a plain index in the database',
      schema: () => edit('  @@index([dueAt])\n', '  @@unique([dueAt])\n'),
      expected: [
        '@@unique([dueAt]) of ComplaintDeadline on complaint_deadline(due_at): the database\'s index "complaint_deadline_due_at_idx" on these columns is not unique, schema.prisma wants a unique index',
      ],
    },
    {
      what: 'a different referential action',
      schema: () => edit('@relation(fields: [complaintId], references: [id])\n  type ', '@relation(fields: [complaintId], references: [id], onDelete: Cascade)\n  type '),
      expected: [
        'foreign key complaint_event(complaint_id) -> complaint(id) (ComplaintEvent.complaint): ON DELETE differs: schema.prisma means Cascade, the database has Restrict',
      ],
    },
  ];

  for (const c of cases) {
    it(c.what, async () => {
      expect(await compareSchemaWithDatabase(c.schema(), testDatabaseUrl())).toEqual(c.expected);
    });
  }
});

describe('compareSchemaWithDatabase() sees changes made in the database', () => {
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reports columns, tables, indexes and enum values added or dropped by hand', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`
        ALTER TABLE "bot_state" ADD COLUMN "note" TEXT;
        CREATE TABLE "scratch" ("id" INT);
        DROP INDEX "complaint_accepted_at_idx";
        ALTER TYPE "tier" ADD VALUE 'L4';
        ALTER TABLE "staff" ALTER COLUMN "active" DROP DEFAULT;
      `);
    } finally {
      await client.end();
    }

    expect((await compareSchemaWithDatabase(schema, db.url)).sort()).toEqual(
      [
        'column bot_state.note exists in the database but not in schema.prisma (model BotState)',
        'table "scratch" exists in the database but not in schema.prisma',
        '@@index([acceptedAt]) of Complaint on complaint(accepted_at) is missing in the database',
        'enum type "tier" (enum Tier): value "L4" exists in the database but not in schema.prisma',
        'column staff.active (Staff.active): default differs: schema.prisma says "true", the database has no default',
      ].sort(),
    );
  });
});

describe('parsePrismaSchema()', () => {
  it("rejects an invalid schema with Prisma's own message", () => {
    expect(() => parsePrismaSchema('model A {\n  id Int @id\n  x Strin\n}\n')).toThrow(/schema\.prisma is invalid:[\s\S]*Strin/);
  });
});
