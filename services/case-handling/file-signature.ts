// Does a file's content match the type the uploader declared? The download route serves the stored
// type (as an attachment, with nosniff), so a page or script dressed up as "image/png" is refused at
// upload. Pure; covers the types FILE_ALLOWED_TYPES ships with. A type with no known signature is
// accepted as declared.
type Check = (b: Buffer) => boolean;

const starts = (...bytes: number[]): Check => (b) => bytes.every((x, i) => b[i] === x);
const ascii = (text: string, offset = 0): Check => (b) => b.subarray(offset, offset + text.length).toString('latin1') === text;
const any = (...checks: Check[]): Check => (b) => checks.some((c) => c(b));
const both = (...checks: Check[]): Check => (b) => checks.every((c) => c(b));

const ZIP = starts(0x50, 0x4b, 0x03, 0x04); // docx, xlsx (Office Open XML)
const OLE = starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1); // doc, xls
const FTYP = ascii('ftyp', 4); // mp4, m4a, heic

const SIGNATURES: Record<string, Check> = {
  'application/pdf': ascii('%PDF-'),
  'image/jpeg': starts(0xff, 0xd8, 0xff),
  'image/png': starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  'image/gif': any(ascii('GIF87a'), ascii('GIF89a')),
  'image/webp': both(ascii('RIFF'), ascii('WEBP', 8)),
  'image/heic': FTYP,
  'image/tiff': any(starts(0x49, 0x49, 0x2a, 0x00), starts(0x4d, 0x4d, 0x00, 0x2a)),
  'application/msword': OLE,
  'application/vnd.ms-excel': OLE,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ZIP,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ZIP,
  'audio/mpeg': any(ascii('ID3'), (b) => b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  'audio/mp4': FTYP,
  'audio/amr': ascii('#!AMR'),
  'audio/wav': both(ascii('RIFF'), ascii('WAVE', 8)),
  'video/mp4': FTYP,
  'text/plain': isPlainText,
};

/** Valid UTF-8 without NUL bytes, and not markup a browser would run. */
function isPlainText(b: Buffer): boolean {
  if (b.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return false;
  }
  return !/^\s*<(!doctype|html|script|svg|\?xml)/i.test(text.replace(/^\uFEFF/, ''));
}

export function contentMatchesType(contentType: string, data: Buffer): boolean {
  const check = SIGNATURES[contentType];
  return check ? check(data) : true;
}
