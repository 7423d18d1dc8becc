// Masked forms of personal data for lists and exports: enough to recognise, not enough to use.
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Empty when there is no phone (a complainant who wrote by e-mail). */
export function maskPhone(phone: string | null): string {
  if (phone === null) return '';
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
