// No personal data in the logs: the app logs through pino into memory at level debug while a
// customer files a complaint over HTTP, once on the happy path and once with the filing failing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { createLogger } from '../../services/logger';
import { testDb } from '../support/app';
import {
  ChatSession, fileZhComplaint, LocalConnector, MemoryStream, newZhComplaint, numberIn, randomId, startApp, turnText, type RunningApp, type ZhComplaint,
} from '../support/e2e';

let connector: LocalConnector;

beforeAll(async () => {
  connector = await LocalConnector.start();
});

afterAll(async () => {
  await connector?.close();
});

function expectNoPersonalData(logText: string, c: ZhComplaint): void {
  for (const [what, value] of [
    ['name', c.name],
    ['phone', c.phone.digits],
    ['phone as typed', c.phone.typed],
    ['reference number', c.referenceNumber],
    ['description', c.description],
    ['description (start)', c.description.slice(0, 8)],
  ] as const) {
    expect(logText.includes(value), `the log contains the ${what}`).toBe(false);
  }
}

describe('logs carry no personal data', () => {
  let bot: RunningApp;
  const logs = new MemoryStream();

  beforeAll(async () => {
    bot = await startApp({}, { log: createLogger({ level: 'debug', destination: logs }) });
  });

  afterAll(async () => {
    await bot?.app.close();
  });

  it('while a zh-CN complaint is filed', async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv'), userName: c.name });
    await session.start();
    const turns = await fileZhComplaint((t) => session.say(t), c);
    numberIn(turnText(turns.at(-1)!));
    // A refused request is logged too: it must not echo the body either.
    await session.post({ ...session.baseActivity('message'), text: c.description, serviceUrl: `file:///${c.phone.digits}` });

    expect(logs.text).toContain('refused a malformed activity'); // the logger did capture output
    expectNoPersonalData(logs.text, c);
  });
});

describe('logs carry no personal data when filing fails', () => {
  let bot: RunningApp;
  let realDb: Database;
  const logs = new MemoryStream();

  beforeAll(async () => {
    realDb = testDb(2);
    // A database whose complaint insert is rejected by Prisma's own validation (as after a schema
    // drift): a PrismaClientValidationError's message quotes the whole call, data included.
    const brokenDb = withBrokenComplaintInsert(realDb);
    bot = await startApp({}, { db: brokenDb, log: createLogger({ level: 'debug', destination: logs }) });
  });

  afterAll(async () => {
    await bot?.app.close(); // disconnects realDb through the wrapper
  });

  it('logs the failure with a reference, not the data', async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    const turns = await fileZhComplaint((t) => session.say(t), c);
    const last = turnText(turns.at(-1)!);
    expect(last).toContain('系统暂时无法保存您的投诉');
    const ref = /参考编号 (\S+)）/.exec(last)?.[1];
    expect(ref).toBeTruthy();

    const lines = logs.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const failure = lines.find((l) => l.msg === 'filing the complaint failed');
    expect(failure, 'the failure is logged').toBeDefined();
    expect(failure!.ref).toBe(ref);
    expect(JSON.stringify(failure)).toContain('PrismaClientValidationError');
    expectNoPersonalData(logs.text, c);
    expect(await realDb.complaint.count({ where: { channelUserId: session.userId } })).toBe(0);
  });
});

/** `db` with interactive transactions whose tx.complaint.create gets an unknown field. */
function withBrokenComplaintInsert(db: Database): Database {
  const breakTx = (tx: object) =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'complaint' || !value || typeof value !== 'object') return value;
        const delegate = value as { create: (args: { data: object }) => Promise<unknown> };
        return new Proxy(delegate, {
          get(d, p, r) {
            if (p !== 'create') return Reflect.get(d, p, r);
            return (args: { data: object }) => delegate.create({ ...args, data: { ...args.data, notAColumn: true } });
          },
        });
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === '$transaction') {
        return (fn: unknown, options?: unknown) =>
          typeof fn === 'function'
            ? target.$transaction((tx) => (fn as (tx: object) => Promise<unknown>)(breakTx(tx)), options as never)
            : target.$transaction(fn as never, options as never);
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
