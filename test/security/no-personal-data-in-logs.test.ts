// Someone else's check, done here first: a whole conversation — a complaint filed in chat with a
// name, phone, ID number, policy number and e-mail, a status check, a takeover where customer and
// agent exchange personal data, staff working the case through the API (also with bad requests that
// echo personal data back) — with the app's pino logger at debug level captured in memory. None of the
// seeded values may appear in the captured log, in any spelling the customer used.
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { createLogger } from '../../services/logger';
import { testDb } from '../support/app';
import { ChatSession, LocalConnector, MemoryStream, numberIn, randomChineseName, randomId, randomMobileTyped, startApp, turnText, type RunningApp } from '../support/e2e';
import { callApi, demoStaffTokens } from '../takeover/takeover-support';

let bot: RunningApp;
let connector: LocalConnector;
let db: Database;
let tokens: Awaited<ReturnType<typeof demoStaffTokens>>;
const logs = new MemoryStream();

beforeAll(async () => {
  [bot, connector] = await Promise.all([startApp({}, { log: createLogger({ level: 'debug', destination: logs }) }), LocalConnector.start()]);
  db = testDb(2);
  tokens = await demoStaffTokens(db);
}, 60_000);

afterAll(async () => {
  await bot?.app.close();
  await connector?.close();
  await db?.$disconnect();
});

/** A valid 18-digit resident ID number (GB 11643 check digit), unique per run. */
function randomIdNumber(): string {
  const body = `110105${1960 + randomInt(40)}${String(randomInt(1, 13)).padStart(2, '0')}${String(randomInt(1, 29)).padStart(2, '0')}${String(randomInt(1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

describe('a whole conversation leaves no personal data in the logs', () => {
  it('intake, status check, takeover and staff actions', { timeout: 90_000 }, async () => {
    const tag = randomBytes(3).toString('hex');
    const seeded = {
      name: randomChineseName(),
      phone: randomMobileTyped(),
      idNumber: randomIdNumber(),
      policyNumber: `PL${randomInt(1e9, 1e10 - 1)}`,
      email: `cust.${tag}@example.com`,
    };
    const description = `车险理赔三个月没有答复，我的身份证号 ${seeded.idNumber}，保单 ${seeded.policyNumber}，请尽快处理（${tag}）`;
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv'), userName: seeded.name });
    await session.start();

    // 1. Intake: every field, the e-mail too.
    let last = [] as Awaited<ReturnType<typeof session.say>>;
    for (const answer of ['我要投诉', '同意', '保险', '理赔纠纷', description, '跳过', seeded.policyNumber, '8万', seeded.name, seeded.phone.typed, seeded.email, '电话', '确认提交']) {
      last = await session.say(answer);
      expect(last.length, `no reply to "${answer}"`).toBeGreaterThan(0);
    }
    const number = numberIn(turnText(last));

    // 2. Status check: in the same conversation, and from another device with the phone's last four
    //    digits (once wrong, once right).
    await session.say('查询投诉进度');
    expect(turnText(await session.say(number))).toContain('当前状态');
    const other = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv'), userName: seeded.name });
    await other.start();
    await other.say('查询投诉进度');
    await other.say(number);
    await other.say('0000');
    expect(turnText(await other.say(seeded.phone.digits.slice(-4)))).toContain('当前状态');

    // 3. Takeover: the customer and the agent exchange personal data.
    await session.say('转人工');
    const handoff = await db.handoffRequest.findFirstOrThrow({ where: { conversationId: session.conversationId }, orderBy: { createdAt: 'desc' } });
    expect((await callApi(bot.baseUrl, 'POST', `/api/v1/handoffs/${handoff.id}/accept`, tokens.A1001)).status).toBe(200);
    await session.say(`我叫${seeded.name}，电话${seeded.phone.digits}，身份证${seeded.idNumber}`);
    const reply = await callApi(bot.baseUrl, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, tokens.A1001, { text: `${seeded.name}您好，我们会打 ${seeded.phone.digits} 联系您，邮件发到 ${seeded.email}` });
    expect(reply.status).toBe(201);
    expect((await callApi(bot.baseUrl, 'POST', `/api/v1/handoffs/${handoff.id}/release`, tokens.A1001)).status).toBe(200);

    // 4. Staff work the case through the API: read, reveal, assign, a note with personal data, and
    //    requests refused for bad input that carry personal data.
    expect((await callApi(bot.baseUrl, 'GET', `/api/v1/complaints/${number}/case`, tokens.S2001)).status).toBe(200);
    const revealed = await callApi(bot.baseUrl, 'POST', `/api/v1/complaints/${number}/reveal`, tokens.V4001);
    expect(revealed.status).toBe(200);
    expect(JSON.stringify(revealed.body)).toContain(seeded.phone.digits); // the reveal worked: the data exists
    const claimsSupervisor = await db.staff.findUniqueOrThrow({ where: { employeeNo: 'S2002' } });
    const assigned = await callApi(bot.baseUrl, 'POST', `/api/v1/complaints/${number}/owner`, tokens.L3001, { staffId: claimsSupervisor.id, reason: `客户${seeded.name}要求尽快` });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    const note = await callApi(bot.baseUrl, 'POST', `/api/v1/complaints/${number}/notes`, tokens.L3001, { text: `已致电 ${seeded.phone.digits}，核对身份证 ${seeded.idNumber}` });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const bad = await callApi(bot.baseUrl, 'POST', `/api/v1/complaints/${number}/notes`, tokens.L3001, { text: seeded.idNumber, phone: seeded.phone.digits, email: seeded.email });
    expect(bad.status).toBe(400);
    const badOwner = await callApi(bot.baseUrl, 'POST', `/api/v1/complaints/${number}/owner`, tokens.L3001, { staffId: seeded.email, reason: seeded.name });
    expect(badOwner.status).toBe(400);
    const wrongLookup = await callApi(bot.baseUrl, 'GET', `/api/v1/complaints?q=${encodeURIComponent(seeded.phone.digits)}&email=${encodeURIComponent(seeded.email)}`, tokens.A1001);
    expect(wrongLookup.status).toBeLessThan(500);
    // A malformed activity carrying personal data is refused and logged without it.
    await session.post({ ...session.baseActivity('message'), text: seeded.idNumber, serviceUrl: `file:///${seeded.phone.digits}/${seeded.email}` });

    expect(logs.text).toContain('refused a malformed activity'); // the logger did capture the app's lines
    const values: Array<[string, string]> = [
      ['name', seeded.name], ['phone', seeded.phone.digits], ['phone as typed', seeded.phone.typed],
      ['phone with a dash', `${seeded.phone.digits.slice(0, 3)}-${seeded.phone.digits.slice(3, 7)}-${seeded.phone.digits.slice(7)}`],
      ['ID number', seeded.idNumber], ['policy number', seeded.policyNumber], ['e-mail', seeded.email],
      ['e-mail (URL-encoded)', encodeURIComponent(seeded.email)], ['description', description.slice(0, 12)],
    ];
    const leaks = values.filter(([, value]) => logs.text.includes(value)).map(([what]) => what);
    const lines = logs.text.split('\n').filter((l) => values.some(([, v]) => l.includes(v)));
    expect(leaks, `personal data in the log:\n${lines.slice(0, 5).join('\n')}`).toEqual([]);
  });
});
