// The web console's static files: web/console/** under /console/, and the two front-end libraries
// (preact, htm) from node_modules under /console/vendor/ — no build step, no CDN. Files are read
// from disk on each request (small, and a deploy replaces them); vendor modules are read once.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response, Server } from 'restify';
import { setConsoleSecurityHeaders } from './security-headers';

export const CONSOLE_ROOT = fileURLToPath(new URL('../../web/console/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

/**
 * The vendor modules, with their bare `from "preact"` imports pointed at our copy of preact, so the
 * browser loads one preact instance (hooks keep state on preact's `options`) without an import map
 * (an inline import map would need a CSP exception).
 */
function loadVendorModules(): Map<string, StaticFile> {
  const require = createRequire(import.meta.url);
  // preact's exports map names its ESM files; htm's `require` entry is CommonJS, its ESM sits beside it.
  const sources: Record<string, string> = {
    'preact.mjs': require.resolve('preact'),
    'preact-hooks.mjs': require.resolve('preact/hooks'),
    'htm.mjs': path.join(path.dirname(require.resolve('htm')), 'htm.mjs'),
    // Chart.js's self-contained UMD build (the dashboard): loaded as a module it sets globalThis.Chart.
    'chart.umd.js': path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
  };
  const modules = new Map<string, StaticFile>();
  for (const [name, file] of Object.entries(sources)) {
    const text = readFileSync(file, 'utf8')
      .replace(/from\s*(["'])preact\1/g, 'from"./preact.mjs"')
      .replace(/^\/\/# sourceMappingURL=.*$/m, '');
    const body = Buffer.from(text, 'utf8');
    // Versioned by content: a day of caching, revalidated by ETag after an upgrade.
    modules.set(name, { body, contentType: CONTENT_TYPES['.mjs']!, etag: etagOf(body), cacheControl: 'public, max-age=86400' });
  }
  return modules;
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The file under `root` that `relative` (already URL-decoded) names, or null for anything outside or odd. */
export async function resolveConsoleFile(root: string, relative: string): Promise<string | null> {
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const segments = relative.split('/').filter((s) => s !== '');
  // No parent references, no dotfiles (.env, .git), nothing hidden.
  if (segments.some((s) => s.startsWith('.'))) return null;
  const candidate = path.resolve(root, ...segments);
  const rootResolved = path.resolve(root);
  if (candidate !== rootResolved && !candidate.startsWith(rootResolved + path.sep)) return null;
  try {
    const real = await realpath(candidate);
    const realRoot = await realpath(rootResolved);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null; // a symlink pointing out
    const info = await stat(real);
    if (info.isDirectory()) {
      const index = path.join(real, 'index.html');
      return (await stat(index).then((s) => s.isFile()).catch(() => false)) ? index : null;
    }
    return info.isFile() ? real : null;
  } catch {
    return null;
  }
}

export function registerConsoleStaticRoutes(server: Server, options: { root?: string } = {}): void {
  const root = options.root ?? CONSOLE_ROOT;
  let vendor: Map<string, StaticFile> | null = null;

  const serve = async (req: Request, res: Response) => {
    setConsoleSecurityHeaders(res);
    const pathname = (req.getPath?.() ?? req.path()).split('?')[0] ?? '';
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice('/console/'.length));
    } catch {
      return notFound(res);
    }
    let file: StaticFile | null = null;
    if (relative.startsWith('vendor/')) {
      vendor ??= loadVendorModules();
      file = vendor.get(relative.slice('vendor/'.length)) ?? null;
    } else {
      const found = await resolveConsoleFile(root, relative);
      const type = found ? CONTENT_TYPES[path.extname(found).toLowerCase()] : undefined;
      if (found && type) {
        const body = await readFile(found);
        // No build step, so no fingerprinted names: always revalidate (cheap with the ETag).
        file = { body, contentType: type, etag: etagOf(body), cacheControl: 'no-cache' };
      }
    }
    if (!file) return notFound(res);
    res.setHeader('Cache-Control', file.cacheControl);
    res.setHeader('ETag', file.etag);
    const ifNoneMatch = String(req.headers['if-none-match'] ?? '');
    if (ifNoneMatch.split(',').map((s) => s.trim()).includes(file.etag)) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  server.get('/console', async (_req: Request, res: Response) => {
    res.writeHead(301, { Location: '/console/', 'Cache-Control': 'no-cache' });
    res.end();
  });
  server.get('/console/*', serve);
  server.head('/console/*', serve);
}

function notFound(res: Response): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('not found');
}
