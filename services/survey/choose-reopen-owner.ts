// Who handles a reopened complaint (R-SURVEY): someone else, at a higher level than the last owner —
// agent < supervisor < leadership — who never owned this complaint before and is not named in it
// (回避). Of those, the lowest level that is higher (a supervisor takes over from an agent; the
// leadership group from a supervisor), then the one with the fewest open complaints, then by
// employee number so the choice is stable. Pure.
export type HandlerRole = 'agent' | 'supervisor' | 'leadership';

const RANK: Record<HandlerRole, number> = { agent: 0, supervisor: 1, leadership: 2 };

export function roleRank(role: string | null | undefined): number {
  return role && role in RANK ? RANK[role as HandlerRole] : -1;
}

export interface OwnerCandidate {
  id: string;
  role: string;
  employeeNo: string;
  /** The complaint's department (agents and supervisors must belong to it; leadership is company-wide). */
  inDepartment: boolean;
  openComplaints: number;
}

export function chooseReopenOwner({ candidates, lastOwnerRole, previousOwnerIds, subjectIds }: {
  candidates: readonly OwnerCandidate[];
  /** The role of the owner when it was reopened (null: it had none). */
  lastOwnerRole: string | null;
  previousOwnerIds: ReadonlySet<string>;
  subjectIds: ReadonlySet<string>;
}): OwnerCandidate | null {
  const floor = roleRank(lastOwnerRole);
  const eligible = candidates.filter((c) =>
    roleRank(c.role) > floor
    && (c.role === 'leadership' || c.inDepartment)
    && !previousOwnerIds.has(c.id)
    && !subjectIds.has(c.id));
  eligible.sort((a, b) => roleRank(a.role) - roleRank(b.role) || a.openComplaints - b.openComplaints || a.employeeNo.localeCompare(b.employeeNo));
  return eligible[0] ?? null;
}
