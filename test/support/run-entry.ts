// Runs one of the project's entry points (npm start, npm run worker…) as a child process, the way an
// operator does, and collects what it prints. Killed after `timeoutMs` so a hung process fails the test.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';

export interface EntryRun { code: number | null; stdout: string; stderr: string }

export function runEntry(
  args: string[],
  env: Record<string, string>,
  { timeoutMs = 30_000, onStdout }: { timeoutMs?: number; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<EntryRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What an operator reads must be a message, not a stack trace. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}
