// The console's complaint page: the ledger row with personal data MASKED, the deadlines, the whole
// event history (payloads carry no personal data by design), alerts, extensions and pauses, and
// what the viewer may do. Unmasked values come only from reveal-personal-data.ts (an event).
import type { Database } from '../db/client';
import { AppError } from '../errors';
import { maskEmail, maskFreeText, maskName, maskPhone, maskReferenceNumber } from './mask-details';
import { permissionsFor, type ConsolePermissions, type Viewer } from './console-access';

export async function getComplaintDetails({ db, number, viewer }: { db: Database; number: string; viewer: Viewer }) {
  const c = await db.complaint.findUnique({
    where: { number },
    select: {
      id: true, number: true, status: true, tier: true, urgent: true, businessLine: true, type: true,
      description: true, occurredOn: true, referenceNumber: true, claimedLossYuan: true, feedbackMethod: true,
      intakeChannel: true, channelId: true, locale: true, acceptedAt: true, updatedAt: true, version: true,
      policyVersion: true, extendedDecisionDays: true, clockRestartedAt: true, ownerStaffId: true, departmentId: true,
      product: true, customerGroup: true, region: true, reopenCount: true,
      handlingOf: { select: { number: true } }, handlingComplaints: { select: { number: true }, orderBy: { acceptedAt: 'asc' } },
      complainant: { select: { name: true, phone: true, email: true } },
      owner: { select: { id: true, displayName: true, role: true } },
      department: { select: { id: true, code: true, name: true, nameEn: true } },
      deadlines: { select: { kind: true, dueAt: true, metAt: true, warnedAt: true, breachedAt: true }, orderBy: { dueAt: 'asc' } },
      events: { select: { id: true, type: true, actorType: true, actorId: true, channel: true, payload: true, occurredAt: true }, orderBy: { id: 'asc' } },
      alerts: { select: { id: true, kind: true, recipientRole: true, status: true, createdAt: true, acknowledgedAt: true, recipientStaff: { select: { displayName: true } } }, orderBy: { createdAt: 'asc' } },
      extensions: { select: { id: true, requestedDays: true, reason: true, requestedBy: true, requestedAt: true, status: true, decidedBy: true, decidedAt: true, decisionNote: true }, orderBy: { requestedAt: 'asc' } },
      pauses: { select: { reason: true, startedAt: true, endedAt: true }, orderBy: { startedAt: 'asc' } },
    },
  });
  if (!c) throw new AppError('NOT_FOUND', { message: `no complaint ${number}` });

  // Staff named in the history and the extensions, by display name.
  const staffIds = new Set<string>();
  for (const e of c.events) if (e.actorType === 'staff' && e.actorId) staffIds.add(e.actorId);
  for (const x of c.extensions) {
    staffIds.add(x.requestedBy);
    if (x.decidedBy) staffIds.add(x.decidedBy);
  }
  const staff = staffIds.size
    ? await db.staff.findMany({ where: { id: { in: [...staffIds] } }, select: { id: true, displayName: true, role: true } })
    : [];
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const who = (id: string | null) => (id ? (staffById.get(id) ?? null) : null);

  const permissions: ConsolePermissions = permissionsFor(viewer, { ownerStaffId: c.ownerStaffId, departmentId: c.departmentId });
  return {
    number: c.number,
    status: c.status,
    tier: c.tier,
    urgent: c.urgent,
    businessLine: c.businessLine,
    type: c.type,
    intakeChannel: c.intakeChannel,
    channelId: c.channelId,
    locale: c.locale,
    acceptedAt: c.acceptedAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    version: c.version,
    policyVersion: c.policyVersion,
    occurredOn: c.occurredOn,
    claimedLossYuan: c.claimedLossYuan === null ? null : c.claimedLossYuan.toString(),
    feedbackMethod: c.feedbackMethod,
    extendedDecisionDays: c.extendedDecisionDays,
    clockRestartedAt: c.clockRestartedAt?.toISOString() ?? null,
    /** Report dimensions (codes of the policy's catalogue; null = not recorded) and the rounds of handling. */
    classification: { product: c.product, customerGroup: c.customerGroup, region: c.region },
    reopenCount: c.reopenCount,
    /** R-SUPERVISION: the complaint this one is about the handling of, and complaints about this one's handling. */
    handlingOf: c.handlingOf?.number ?? null,
    handlingComplaints: c.handlingComplaints.map((h) => h.number),
    owner: c.owner,
    department: c.department,
    /** Masked; POST …/reveal returns the values (and records who saw them). */
    personalData: {
      masked: true,
      name: maskName(c.complainant.name),
      phone: maskPhone(c.complainant.phone),
      email: c.complainant.email ? maskEmail(c.complainant.email) : null,
      referenceNumber: c.referenceNumber ? maskReferenceNumber(c.referenceNumber) : null,
      description: maskFreeText(c.description),
    },
    deadlines: c.deadlines.map((d) => ({
      kind: d.kind, dueAt: d.dueAt.toISOString(), metAt: d.metAt?.toISOString() ?? null,
      warnedAt: d.warnedAt?.toISOString() ?? null, breachedAt: d.breachedAt?.toISOString() ?? null,
    })),
    events: c.events.map((e) => ({
      id: e.id.toString(), type: e.type, occurredAt: e.occurredAt.toISOString(), channel: e.channel,
      actor: { type: e.actorType, id: e.actorId, displayName: e.actorType === 'staff' ? (who(e.actorId)?.displayName ?? null) : null },
      payload: e.payload,
    })),
    alerts: c.alerts.map((a) => ({
      id: a.id, kind: a.kind, recipientRole: a.recipientRole, recipient: a.recipientStaff?.displayName ?? null, status: a.status,
      createdAt: a.createdAt.toISOString(), acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    })),
    extensions: c.extensions.map((x) => ({
      id: x.id, requestedDays: x.requestedDays, reason: x.reason, status: x.status, requestedAt: x.requestedAt.toISOString(),
      requestedBy: who(x.requestedBy)?.displayName ?? null, decidedAt: x.decidedAt?.toISOString() ?? null,
      decidedBy: who(x.decidedBy)?.displayName ?? null, decisionNote: x.decisionNote,
    })),
    pauses: c.pauses.map((p) => ({ reason: p.reason, startedAt: p.startedAt.toISOString(), endedAt: p.endedAt?.toISOString() ?? null })),
    permissions,
  };
}

export type ComplaintDetails = Awaited<ReturnType<typeof getComplaintDetails>>;
