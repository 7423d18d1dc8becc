// Who may do what on the console's complaint page — pure functions of the viewer and the complaint,
// so the API and the page agree. Policy reading (requirements.md "Who uses it", R-SUPERVISION, PIPL
// "access control, minimum collection"):
// - personal data (name, phone, e-mail, reference number, the unmasked description) is shown to
//   those who handle or audit the complaint: the supervision department (reads everything), the
//   leadership group (any complaint), a supervisor or an agent for complaints of their own
//   department or that they own. System administrators manage accounts, not cases: no.
// - the supervision department changes nothing (enforced for every route in bot/staff-api.ts).

export type StaffRoleName = 'agent' | 'supervisor' | 'leadership' | 'supervision' | 'admin';

export interface Viewer {
  id: string;
  role: StaffRoleName;
  departmentId: string | null;
}

export interface ComplaintScope {
  ownerStaffId: string | null;
  departmentId: string | null;
}

export const TIER_OVERRIDE_ROLES: readonly StaffRoleName[] = ['supervisor', 'leadership', 'admin'];
export const EXTENSION_REQUEST_ROLES: readonly StaffRoleName[] = ['agent', 'supervisor', 'leadership', 'admin'];
export const EXTENSION_DECISION_ROLES: readonly StaffRoleName[] = ['supervisor', 'leadership', 'admin'];
export const INTAKE_ROLES: readonly StaffRoleName[] = ['agent', 'supervisor', 'leadership', 'admin'];

export function mayRevealPersonalData(viewer: Viewer, complaint: ComplaintScope): boolean {
  switch (viewer.role) {
    case 'supervision':
    case 'leadership':
      return true;
    case 'supervisor':
    case 'agent':
      return complaint.ownerStaffId === viewer.id || (viewer.departmentId !== null && complaint.departmentId === viewer.departmentId);
    default:
      return false;
  }
}

export interface ConsolePermissions {
  reveal: boolean;
  overrideTier: boolean;
  requestExtension: boolean;
  decideExtension: boolean;
  readOnly: boolean;
}

export function permissionsFor(viewer: Viewer, complaint: ComplaintScope): ConsolePermissions {
  return {
    reveal: mayRevealPersonalData(viewer, complaint),
    overrideTier: TIER_OVERRIDE_ROLES.includes(viewer.role),
    requestExtension: EXTENSION_REQUEST_ROLES.includes(viewer.role),
    decideExtension: EXTENSION_DECISION_ROLES.includes(viewer.role),
    readOnly: viewer.role === 'supervision',
  };
}
