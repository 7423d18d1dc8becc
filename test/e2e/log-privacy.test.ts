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
  let db: Database;
  const logs = new MemoryStream();
  const userId = randomId('u');
  const trigger = `refuse_${userId.replace(/\W/g, '_')}`;

  beforeAll(async () => {
    db = testDb(2);
    // PostgreSQL refuses this customer's complaint with a message that quotes the row (as a check
    // or a trigger of a later schema might): the description, the phone and the reference number.
    await db.$executeRawUnsafe(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused complaint: % / % / %', NEW.description, NEW.channel_user_id, NEW.reference_number; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON complaint FOR EACH ROW
      WHEN (NEW.channel_user_id = '${userId}') EXECUTE FUNCTION ${trigger}()`);
    bot = await startApp({}, { db, log: createLogger({ level: 'debug', destination: logs }) });
  });

  afterAll(async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${trigger} ON complaint`);
    await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${trigger}()`);
    await bot?.app.close(); // disconnects db
  });

  it('logs the failure with a reference, not the data', async () => {
    const c = newZhComplaint();
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId, conversationId: randomId('conv') });
    const turns = await fileZhComplaint((t) => session.say(t), c);
    const last = turnText(turns.at(-1)!);
    expect(last).toContain('系统暂时无法保存您的投诉');
    const ref = /参考编号 (\S+)）/.exec(last)?.[1];
    expect(ref).toBeTruthy();

    const lines = logs.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const failure = lines.find((l) => l.msg === 'filing the complaint failed');
    expect(failure, 'the failure is logged').toBeDefined();
    expect(failure!.ref).toBe(ref);
    // PostgreSQL's raise_exception: the code is logged, the message (which quotes the row) is not.
    expect(failure).toMatchObject({ errCode: 'P0001' });
    expectNoPersonalData(logs.text, c);
    expect(logs.text).not.toContain('refused complaint');
    expect(await db.complaint.count({ where: { channelUserId: session.userId } })).toBe(0);
  });
});
