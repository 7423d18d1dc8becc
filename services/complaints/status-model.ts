// The complaint's life cycle in one pure function. Every change of status goes through
// `checkStatusTransition`; the caller records the transition as an event.
export const COMPLAINT_STATUSES = ['received', 'acknowledged', 'assigned', 'investigating', 'resolved', 'closed', 'reopened'] as const;
export type ComplaintStatusName = (typeof COMPLAINT_STATUSES)[number];

const NEXT_STATUSES: Readonly<Record<ComplaintStatusName, readonly ComplaintStatusName[]>> = {
  received: ['acknowledged'],
  acknowledged: ['assigned'],
  assigned: ['investigating'],
  investigating: ['resolved'],
  // Feedback given: the customer is satisfied (closed) or not (reopened and handled again).
  resolved: ['closed', 'reopened'],
  // A review asked for within the review window reopens a closed complaint.
  closed: ['reopened'],
  reopened: ['assigned'],
};

export type TransitionCheck = { allowed: true } | { allowed: false; reason: string };

export function checkStatusTransition(from: ComplaintStatusName, to: ComplaintStatusName): TransitionCheck {
  if (from === to) return { allowed: false, reason: `complaint is already ${from}` };
  if (NEXT_STATUSES[from].includes(to)) return { allowed: true };
  const expected = NEXT_STATUSES[from].join(' or ');
  return { allowed: false, reason: `cannot go from ${from} to ${to} (next: ${expected})` };
}

export function nextStatuses(from: ComplaintStatusName): readonly ComplaintStatusName[] {
  return NEXT_STATUSES[from];
}

export function isOpenStatus(status: ComplaintStatusName): boolean {
  return status !== 'closed';
}
