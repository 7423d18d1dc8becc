// Case handling actions on the complaint page (owned by the CASE engineer; this is a stub).
export function CaseActions() {
  return null;
}
