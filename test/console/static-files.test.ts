// The console's static files: served under /console/ with the right types and security headers,
// vendor modules from node_modules, nothing outside web/console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { startApp, type RunningApp } from '../support/e2e';

let running: RunningApp;
beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.app.close();
});

/** A raw GET (fetch normalises `..` away, so traversal attempts need the path sent as written). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console static files', () => {
  it('serves the console page at /console/ with security headers, and redirects /console', async () => {
    const redirect = await fetch(`${running.baseUrl}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');

    const res = await fetch(`${running.baseUrl}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const text = await res.text();
    expect(text).toContain('/console/app.js');
    expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('serves JavaScript modules as text/javascript and answers a matching ETag with 304', async () => {
    const res = await fetch(`${running.baseUrl}/console/lib.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${running.baseUrl}/console/lib.js`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('serves preact, its hooks and htm from node_modules, hooks importing our preact copy', async () => {
    for (const name of ['preact.mjs', 'preact-hooks.mjs', 'htm.mjs']) {
      const res = await fetch(`${running.baseUrl}/console/vendor/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toContain('max-age');
    }
    const hooks = await (await fetch(`${running.baseUrl}/console/vendor/preact-hooks.mjs`)).text();
    expect(hooks).toContain('from"./preact.mjs"');
    expect(hooks).not.toMatch(/from\s*["']preact["']/);
    expect((await fetch(`${running.baseUrl}/console/vendor/react.mjs`)).status).toBe(404);
  });

  it('refuses paths outside web/console, dotfiles and unknown files', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/%2e%2e%2fpackage.json',
      '/console/..%5cpackage.json',
      '/console/vendor/../../package.json',
      '/console/.gitignore',
      '/console/nothing-here.js',
      '/console/lib.js%00.html',
    ]) {
      const res = await rawGet(running.baseUrl, path);
      expect(res.status, path).not.toBe(200);
      expect(res.body, path).not.toContain('"dependencies"');
    }
  });
});
