// XSS: the browser code never turns data into markup. The console renders with preact/htm (text is
// escaped), the chat and survey pages with DOM text APIs; this test keeps it that way by refusing the
// APIs that parse HTML or run strings as code in web/ (the CSP also forbids inline and eval'd scripts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = new URL('../../web/', import.meta.url).pathname;
const DANGEROUS = [/\binnerHTML\b/, /\bouterHTML\b/, /dangerouslySetInnerHTML/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new Function\s*\(/, /setTimeout\(\s*['"`]/, /\bsrcdoc\b/, /javascript:/i];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.(js|html)$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('browser code', () => {
  it('uses no HTML-parsing or code-evaluating API and no inline script', () => {
    const all = files(WEB);
    expect(all.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of DANGEROUS) if (pattern.test(text)) found.push(`${file.slice(WEB.length)}: ${pattern}`);
      if (file.endsWith('.html') && /<script(?![^>]*\bsrc=)[^>]*>/i.test(text)) found.push(`${file.slice(WEB.length)}: inline <script>`);
      if (file.endsWith('.html') && /\son[a-z]+\s*=/i.test(text)) found.push(`${file.slice(WEB.length)}: inline event handler`);
    }
    expect(found).toEqual([]);
  });
});
