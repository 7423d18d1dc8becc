// Helpers for the takeover tests: staff tokens for the demo staff, a Server-Sent Events client that
// reads the live stream the way a browser's EventSource does, and small API calls.
import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import type { Database } from '../../services/db/client';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { issueStaffToken } from '../../services/staff/staff-token';
import { testConfig } from '../support/app';

export type DemoStaff = 'A1001' | 'A1002' | 'S2001' | 'V4001' | 'L3001' | 'ADMIN';

/** Bearer tokens of the demo staff (agents A1001/A1002, supervisor S2001, supervision V4001, leadership L3001, admin ADMIN). */
export async function demoStaffTokens(db: Database): Promise<Record<DemoStaff, string> & { ids: Record<DemoStaff, string> }> {
  await seedDemoData(db);
  const secret = testConfig().staffTokenSecret;
  const tokens = {} as Record<DemoStaff, string>;
  const ids = {} as Record<DemoStaff, string>;
  for (const employeeNo of ['A1001', 'A1002', 'S2001', 'V4001', 'L3001', 'ADMIN'] as DemoStaff[]) {
    const staff = await db.staff.findUniqueOrThrow({ where: { employeeNo } });
    ids[employeeNo] = staff.id;
    tokens[employeeNo] = issueStaffToken({ staffId: staff.id, secret, ttlSeconds: 3600, now: new Date() });
  }
  return Object.assign(tokens, { ids });
}

export async function callApi(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

export interface StreamedMessage {
  eventId: string;
  id: string;
  direction: 'inbound' | 'outbound' | 'internal';
  actorType: string;
  actorId: string | null;
  text: string;
}

/** Reads an SSE response: every `message` event, parsed. */
export class SseClient {
  readonly events: StreamedMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly abort = new AbortController();
  status = 0;

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.abort.signal });
    client.status = res.status;
    if (res.ok && res.body) void client.pump(res.body);
    else await res.text();
    return client;
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            frame.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
          );
          if (fields.event === 'message' && fields.data) {
            this.events.push({ eventId: fields.id ?? '', ...(JSON.parse(fields.data) as Omit<StreamedMessage, 'eventId'>) });
            for (const wake of [...this.waiters]) wake();
          }
        }
      }
    } catch {
      // aborted
    }
  }

  /** Resolves with the first event matching `predicate` (waiting for it to arrive). */
  waitFor(predicate: (e: StreamedMessage) => boolean, timeoutMs = 10_000): Promise<StreamedMessage> {
    const found = this.events.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching SSE event within ${timeoutMs} ms; got: ${this.events.map((e) => `${e.actorType}:${e.text}`).join(' | ')}`));
      }, timeoutMs);
      const check = () => {
        const hit = this.events.find(predicate);
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.abort.abort();
  }
}

export function handoffEvents(activities: Partial<Activity>[], name: string): Partial<Activity>[] {
  return activities.filter((a) => a.type === 'event' && a.name === name);
}

export function expectNoBotMessages(activities: Partial<Activity>[]): void {
  expect(activities.filter((a) => a.type === 'message').map((a) => a.text)).toEqual([]);
}
