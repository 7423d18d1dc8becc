// The console's queue (R-LEDGER, R-TRACKER): open complaints, the nearest open deadline first, with
// tier, status, owner, department, channel, that deadline's kind and whether any deadline is
// breached. One SQL statement (a LATERAL join picks each complaint's next open deadline) so sorting
// and paging happen in PostgreSQL. The complainant's name appears masked only.
import { z } from 'zod';
import { Prisma, type Database } from '../db/client';
import { COMPLAINT_STATUSES } from '../complaints/status-model';
import { maskName } from './mask-details';

export const INTAKE_CHANNELS = ['online_chat', 'wechat', 'hotline', 'counter', 'letter', 'email'] as const;

export const queueQuerySchema = z.object({
  tier: z.enum(['L1', 'L2', 'L3', 'none']).optional(),
  /** `open` (default): everything not closed; `all`; or one status. */
  status: z.enum(['open', 'all', ...COMPLAINT_STATUSES]).default('open'),
  /** `me`, `none` (nobody yet) or a staff id. */
  owner: z.union([z.enum(['me', 'none']), z.uuid()]).optional(),
  /** Department code (CS, CLAIMS, …). */
  department: z.string().trim().min(1).max(40).optional(),
  channel: z.enum(INTAKE_CHANNELS).optional(),
  breached: z.enum(['true', 'false']).optional(),
  /** `pending`: a satisfaction survey waits for an agent's call (its time has come, it has not expired). */
  callback: z.enum(['pending']).optional(),
  /** Part of a complaint number (TS20261128-000012, 20261128-0000, 000012). */
  number: z.string().trim().max(20).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export type QueueQuery = z.infer<typeof queueQuerySchema>;

export interface QueueRow {
  number: string;
  tier: 'L1' | 'L2' | 'L3' | null;
  urgent: boolean;
  status: string;
  intakeChannel: string;
  businessLine: string;
  type: string;
  acceptedAt: string;
  complainant: string;
  owner: { id: string; displayName: string } | null;
  department: { code: string; name: string; nameEn: string } | null;
  nextDeadline: { kind: string; dueAt: string } | null;
  breached: boolean;
}

interface RawRow {
  number: string;
  tier: 'L1' | 'L2' | 'L3' | null;
  urgent: boolean;
  status: string;
  intake_channel: string;
  business_line: string;
  type: string;
  accepted_at: Date;
  complainant_id: string;
  owner_id: string | null;
  owner_name: string | null;
  dept_code: string | null;
  dept_name: string | null;
  dept_name_en: string | null;
  next_kind: string | null;
  next_due_at: Date | null;
  breached: boolean;
  total: bigint;
}

export async function listComplaintQueue({ db, query, viewerId, now }: { db: Database; query: QueueQuery; viewerId: string; now: Date }): Promise<{ rows: QueueRow[]; total: number; page: number; pageSize: number; now: string }> {
  const where: Prisma.Sql[] = [];
  if (query.status === 'open') where.push(Prisma.sql`c.status <> 'closed'`);
  else if (query.status !== 'all') where.push(Prisma.sql`c.status = ${query.status}::complaint_status`);
  if (query.tier === 'none') where.push(Prisma.sql`c.tier IS NULL`);
  else if (query.tier) where.push(Prisma.sql`c.tier = ${query.tier}::tier`);
  if (query.owner === 'none') where.push(Prisma.sql`c.owner_staff_id IS NULL`);
  else if (query.owner) where.push(Prisma.sql`c.owner_staff_id = ${query.owner === 'me' ? viewerId : query.owner}::uuid`);
  if (query.department) where.push(Prisma.sql`d.code = ${query.department}`);
  if (query.channel) where.push(Prisma.sql`c.intake_channel = ${query.channel}::intake_channel`);
  const breachedSql = Prisma.sql`EXISTS (SELECT 1 FROM complaint_deadline b WHERE b.complaint_id = c.id AND b.met_at IS NULL AND (b.breached_at IS NOT NULL OR b.due_at <= ${now}))`;
  if (query.breached === 'true') where.push(breachedSql);
  if (query.breached === 'false') where.push(Prisma.sql`NOT ${breachedSql}`);
  if (query.callback === 'pending') {
    // The survey's method is a callback (no chat, no address for a link): nothing is sent, an agent calls.
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM satisfaction_survey s WHERE s.complaint_id = c.id AND s.method = 'callback'
      AND s.status IN ('scheduled', 'sent', 'reminded') AND s.send_at <= ${now} AND s.expires_at > ${now})`);
  }
  if (query.number) {
    const fragment = query.number.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9-]/g, '');
    if (fragment) where.push(Prisma.sql`c.number LIKE ${`%${fragment}%`}`);
  }
  const whereSql = where.length ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty;
  const offset = (query.page - 1) * query.pageSize;

  const rows = await db.$queryRaw<RawRow[]>`
    SELECT c.number, c.tier, c.urgent, c.status::text AS status, c.intake_channel::text AS intake_channel,
           c.business_line::text AS business_line, c.type::text AS type, c.accepted_at,
           c.complainant_id, o.id AS owner_id, o.display_name AS owner_name,
           d.code AS dept_code, d.name AS dept_name, d.name_en AS dept_name_en,
           nd.kind::text AS next_kind, nd.due_at AS next_due_at,
           ${breachedSql} AS breached,
           count(*) OVER () AS total
    FROM complaint c
    LEFT JOIN staff o ON o.id = c.owner_staff_id
    LEFT JOIN department d ON d.id = c.department_id
    LEFT JOIN LATERAL (
      SELECT x.kind, x.due_at FROM complaint_deadline x
      WHERE x.complaint_id = c.id AND x.met_at IS NULL
      ORDER BY x.due_at LIMIT 1
    ) nd ON true
    ${whereSql}
    ORDER BY nd.due_at ASC NULLS LAST, c.accepted_at DESC, c.number DESC
    LIMIT ${query.pageSize} OFFSET ${offset}`;

  // Names are encrypted at rest: read through the client, which decrypts them (one query per page).
  const people = await db.complainant.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.complainant_id))] } }, select: { id: true, name: true } });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  return {
    rows: rows.map((r) => ({
      number: r.number, tier: r.tier, urgent: r.urgent, status: r.status, intakeChannel: r.intake_channel,
      businessLine: r.business_line, type: r.type, acceptedAt: r.accepted_at.toISOString(),
      complainant: maskName(nameOf.get(r.complainant_id) ?? ''),
      owner: r.owner_id ? { id: r.owner_id, displayName: r.owner_name ?? '' } : null,
      department: r.dept_code ? { code: r.dept_code, name: r.dept_name ?? '', nameEn: r.dept_name_en ?? '' } : null,
      nextDeadline: r.next_kind && r.next_due_at ? { kind: r.next_kind, dueAt: r.next_due_at.toISOString() } : null,
      breached: r.breached,
    })),
    total: Number(rows[0]?.total ?? 0),
    page: query.page,
    pageSize: query.pageSize,
    /** The server's clock: the console counts down from it (a client clock may be off). */
    now: now.toISOString(),
  };
}
