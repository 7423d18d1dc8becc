// Complaints about handling (R-SUPERVISION) end to end over /api/messages with the LocalConnector:
// a customer with a filed complaint types 我要投诉处理人员 and gets a new number whose complaint is in
// the supervision department and linked to the first (events on both); with several complaints the
// bot asks which; someone else's complaint needs the phone's last four digits; English too. And the
// staff API: POST /api/v1/complaints/:number/handling-complaints with its roles and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../services/db/client';
import { seedDemoData } from '../../services/db/seed-demo-data';
import { issueStaffToken } from '../../services/staff/staff-token';
import { testConfig, testDb } from '../support/app';
import {
  ChatSession, fileZhComplaint, LocalConnector, newZhComplaint, numberIn, randomEnglishName, randomId, randomMobileTyped, startApp, turnChoices, turnText, type RunningApp,
} from '../support/e2e';

let bot: RunningApp;
let connector: LocalConnector;
let db: Database;

beforeAll(async () => {
  [bot, connector] = await Promise.all([startApp(), LocalConnector.start()]);
  db = testDb(2);
  await seedDemoData(db);
}, 60_000);
afterAll(async () => {
  await bot?.app.close();
  await connector?.close();
  await db?.$disconnect();
});

async function linked(number: string) {
  return db.complaint.findUniqueOrThrow({
    where: { number },
    select: {
      id: true, type: true, channelId: true, complainantId: true, department: { select: { code: true } }, handlingOf: { select: { number: true } },
      deadlines: { select: { kind: true } }, events: { select: { type: true, payload: true }, orderBy: { id: 'asc' } },
    },
  });
}

async function expectLinked(newNumber: string, aboutNumber: string) {
  const created = await linked(newNumber);
  const about = await linked(aboutNumber);
  expect(created.department?.code).toBe('SUPERVISION');
  expect(created.handlingOf?.number).toBe(aboutNumber);
  expect(created.complainantId).toBe(about.complainantId);
  // A complaint like any other: triage (routed to supervision), deadlines.
  expect(created.events.find((e) => e.type === 'triage.decided')?.payload).toMatchObject({ department: 'SUPERVISION' });
  expect(created.deadlines.map((d) => d.kind)).toContain('feedback');
  expect(created.events.find((e) => e.type === 'handling_complaint.linked')?.payload).toMatchObject({ aboutNumber, department: 'SUPERVISION' });
  expect(about.events.filter((e) => e.type === 'handling_complaint.filed').map((e) => (e.payload as { handlingComplaintNumber: string }).handlingComplaintNumber)).toContain(newNumber);
}

describe('a complaint about handling, in chat', () => {
  it('我要投诉处理人员 after a filed complaint: a new number in the supervision department, linked; with two complaints the bot asks which', async () => {
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    const c = newZhComplaint();
    const first = numberIn(turnText((await fileZhComplaint((t) => session.say(t), c)).at(-1)!));

    const ask = turnText(await session.say('我要投诉处理人员'));
    expect(ask).toContain(`关于投诉 ${first} 的处理情况`);
    // 帮助 at the question: the general help, then the question again.
    const help = turnText(await session.say('帮助'));
    expect(help).toContain('“取消”结束当前操作');
    expect(help).toContain(`关于投诉 ${first} 的处理情况`);
    const filedText = turnText(await session.say('处理太慢了，一个多月没有人联系我'));
    expect(filedText).toContain(`已受理您对投诉 ${first} 处理情况的投诉`);
    expect(filedText).toContain('监督部门');
    const second = numberIn(filedText.replace(first, ''));
    expect(second).not.toBe(first);
    await expectLinked(second, first);

    // Now this customer has two complaints here: the bot asks which one, newest first.
    const which = await session.say('对处理不满意');
    expect(turnText(which)).toContain('您要投诉哪一件投诉的处理情况');
    expect(turnChoices(which)).toEqual([second, first]);
    expect(turnText(await session.say('不是编号'))).toContain('请点选下面的投诉编号');
    expect(turnText(await session.say(first))).toContain(`关于投诉 ${first} 的处理情况`);
    const third = numberIn(turnText(await session.say('处理人员态度很差，答复敷衍')).replace(first, ''));
    await expectLinked(third, first);
  }, 60_000);

  it('typed at the menu, 我要投诉处理人员 is not a new complaint about the business; without a complaint here the bot asks for the number', async () => {
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    expect(turnChoices(await session.start())).toContain('我要投诉');
    expect(turnText(await session.say('我要投诉处理人员'))).toContain('请输入您要投诉其处理情况的投诉编号');
    expect(turnText(await session.say('不知道'))).toContain('投诉编号格式为');
    expect(turnText(await session.say('TS20990101-999999'))).toContain('没有找到投诉编号 TS20990101-999999');
  }, 30_000);

  it('someone else’s complaint by number needs the last four digits of its phone', async () => {
    const owner = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await owner.start();
    const c = newZhComplaint();
    const number = numberIn(turnText((await fileZhComplaint((t) => owner.say(t), c)).at(-1)!));

    const other = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    expect(turnText(await other.say(`投诉处理人员 ${number}`))).toContain('手机号后四位');
    expect(turnText(await other.say('0000' === c.phone.digits.slice(-4) ? '1111' : '0000'))).toContain('不匹配');
    expect((await linked(number)).events.some((e) => e.type === 'status.verification_failed')).toBe(true);

    expect(turnText(await other.say(`处理太慢 ${number}`))).toContain('手机号后四位');
    expect(turnText(await other.say(c.phone.digits.slice(-4)))).toContain(`关于投诉 ${number} 的处理情况`);
    const filed = numberIn(turnText(await other.say('两周了还没有处理结果')).replace(number, ''));
    await expectLinked(filed, number);
    // This chat's transcript from before the filing belongs to the new complaint, as a first complaint's intake does.
    const { id } = await linked(filed);
    const lines = await db.transcriptMessage.findMany({ where: { complaintId: id }, select: { direction: true, text: true }, orderBy: { id: 'asc' } });
    const said = lines.filter((l) => l.direction === 'inbound').map((l) => l.text);
    expect(said[0]).toContain('投诉处理人员');
    expect(said).toContain('两周了还没有处理结果');
    expect(lines.some((l) => l.direction === 'outbound' && l.text.includes('手机号后四位'))).toBe(true);
  }, 60_000);

  it('in English: "complain about the handling" gets an English answer and a linked complaint', async () => {
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv'), locale: 'en-US' });
    await session.start();
    const answers = ['File a complaint', 'Agree', 'Securities', 'Securities trading', 'My sell order was executed two hours late and I lost money.', 'skip', 'skip', 'none', randomEnglishName(), randomMobileTyped().typed, 'skip', 'Phone', 'Submit'];
    let replies = [] as Awaited<ReturnType<ChatSession['say']>>;
    for (const a of answers) replies = await session.say(a);
    const first = numberIn(turnText(replies));

    const ask = turnText(await session.say('I want to complain about the handling'));
    expect(ask).toContain(`about the handling of complaint ${first}`);
    const filed = turnText(await session.say('Nobody has called me back for three weeks.'));
    expect(filed).toContain(`Your complaint about the handling of complaint ${first} has been accepted`);
    expect(filed).toContain('supervision department');
    expect(filed).not.toMatch(/[\u4e00-\u9fff]/);
    await expectLinked(numberIn(filed.replace(first, '')), first);
  }, 60_000);
});

describe('POST /api/v1/complaints/:number/handling-complaints', () => {
  async function tokenOf(employeeNo: string): Promise<string> {
    const { id } = await db.staff.findUniqueOrThrow({ where: { employeeNo }, select: { id: true } });
    return issueStaffToken({ staffId: id, secret: testConfig().staffTokenSecret, ttlSeconds: 600, now: new Date() });
  }
  async function post(number: string, token: string | null, body: unknown) {
    const res = await fetch(`${bot.baseUrl}/api/v1/complaints/${number}/handling-complaints`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('an agent files one for a caller (201, linked, supervision); supervision 403, anonymous 401, bad input 400, unknown 404', async () => {
    const session = new ChatSession({ botUrl: bot.botUrl, connector, userId: randomId('u'), conversationId: randomId('conv') });
    await session.start();
    const number = numberIn(turnText((await fileZhComplaint((t) => session.say(t), newZhComplaint())).at(-1)!));

    const agent = await tokenOf('A1001');
    const res = await post(number, agent, { description: '客户来电反映处理人员一直不回电话', channel: 'hotline' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ aboutNumber: number, department: 'SUPERVISION' });
    await expectLinked(String(res.body.number), number);
    expect((await linked(String(res.body.number))).channelId).toBe('console');

    expect((await post(number, null, { description: '处理太慢' })).status).toBe(401);
    expect((await post(number, await tokenOf('V4001'), { description: '处理太慢' })).status).toBe(403);
    const bad = await post(number, agent, { description: 'x', channel: 'fax' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.reasons)).toMatch(/description/);
    expect(JSON.stringify(bad.body.reasons)).toMatch(/channel/);
    expect((await post('TS20990101-999999', agent, { description: '处理太慢' })).status).toBe(404);
    expect((await post('nonsense', agent, { description: '处理太慢' })).status).toBe(400);
  }, 60_000);
});
