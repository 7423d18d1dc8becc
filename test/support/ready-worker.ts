// A worker entry started as a child process (so a test can kill it with SIGKILL), resolved once it
// prints "worker ready"; an exit before that rejects with its stderr.
import { spawn, type ChildProcess } from 'node:child_process';

export function spawnReadyWorker(entry: string, env: Record<string, string>, { echoStdout = false }: { echoStdout?: boolean } = {}): { child: ChildProcess; ready: Promise<ChildProcess> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = new Promise<ChildProcess>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      if (echoStdout) process.stderr.write(`[worker ${child.pid}] ${c.toString()}`);
      if (c.toString().includes('worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
  });
  return { child, ready };
}
