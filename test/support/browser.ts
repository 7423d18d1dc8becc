// Headless Chromium for browser tests: playwright-core driving Debian's chromium (`npx playwright
// install` cannot download browsers here). Missing chromium fails the test with the command that
// installs it — browser tests are never skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The flags stack-facts lists for Debian's chromium in containers and CI. */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

export const TEST_OUTPUT_DIR = join(process.cwd(), 'test-output');

/** Debian's chromium binary (CHROMIUM_PATH overrides); throws saying how to install it. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, which('chromium'), '/usr/bin/chromium'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error('Browser tests need Chromium, and none was found (looked for `chromium` on PATH and /usr/bin/chromium). Install it with: apt-get install -y chromium');
  }
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}

/** Collects what a page reports as broken (uncaught errors, console errors) to show when a test fails. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  return problems;
}

/** Saves a full-page screenshot as test-output/<name>.png; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  const path = join(TEST_OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function which(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
