// Which deadline an alert is about. Alert rows name a kind, not a deadline: the triage kinds map to
// the deadline they announce; any other kind that names a deadline kind as one of its segments
// (e.g. "sla.warning:forward_to_leadership") uses that one; otherwise the earliest pending deadline.
import { DeadlineKind } from '../../db/generated/enums';

export type DueKind = DeadlineKind;

export interface AlertDue {
  kind: DueKind;
  at: Date;
}

const DUE_BY_ALERT_KIND: Record<string, DueKind> = {
  'triage.l1': 'first_response',
  'triage.urgent': 'first_response',
  'triage.l2': 'to_supervisor',
};

const DEADLINE_KIND_NAMES = new Set<string>(Object.values(DeadlineKind));

export function dueDeadlineFor(alertKind: string, pending: ReadonlyArray<{ kind: DueKind; dueAt: Date }>): AlertDue | null {
  const named = DUE_BY_ALERT_KIND[alertKind] ?? alertKind.split(/[.:/]/).find((s): s is DueKind => DEADLINE_KIND_NAMES.has(s));
  const match = named ? pending.find((d) => d.kind === named) : undefined;
  const chosen = match ?? [...pending].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  return chosen ? { kind: chosen.kind, at: chosen.dueAt } : null;
}
