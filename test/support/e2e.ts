// End-to-end helpers: the real app (createApp) listening on a free port, a LocalConnector standing
// in for the Bot Framework channel connector, and random customer data.
import { randomBytes, randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import type { Activity } from 'botbuilder';
import { createApp, type App, type AppOverrides } from '../../bot/app';
import { activityText, ChatSession, LocalConnector } from '../../bot/local-connector';
import { testConfig } from './app';

export interface RunningApp {
  app: App;
  /** http://127.0.0.1:port */
  baseUrl: string;
  /** http://127.0.0.1:port/api/messages */
  botUrl: string;
}

export async function startApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<RunningApp> {
  const app = createApp(testConfig(env), overrides);
  const baseUrl = await app.listen();
  return { app, baseUrl, botUrl: `${baseUrl}/api/messages` };
}

export { ChatSession, LocalConnector };

/** The whole turn rendered as text (texts, cards and buttons), one activity per block. */
export function turnText(activities: Partial<Activity>[]): string {
  return activities.map((a) => activityText(a).text).join('\n');
}

/** Button labels offered in the turn (suggested actions and card buttons). */
export function turnChoices(activities: Partial<Activity>[]): string[] {
  return activities.flatMap((a) => activityText(a).choices.map((c) => c.label));
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂', '兰'];

/** A random two- or three-character Chinese name. */
export function randomChineseName(): string {
  const pick = (list: string[]) => list[randomInt(list.length)]!;
  return pick(SURNAMES) + pick(GIVEN) + (randomInt(2) === 1 ? pick(GIVEN) : '');
}

/** A random English name (letters only, as the name validator wants). */
export function randomEnglishName(): string {
  const first = ['Alice', 'Brian', 'Chloe', 'David', 'Emma', 'Frank', 'Grace', 'Henry'];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const last = Array.from({ length: 7 }, (_, i) => (i === 0 ? letters[randomInt(26)]!.toUpperCase() : letters[randomInt(26)]!)).join('');
  return `${first[randomInt(first.length)]!} ${last}`;
}

/** A random mainland mobile number: the 11 digits, and how a customer might type it (3 4 4 with spaces). */
export function randomMobileTyped(): { digits: string; typed: string } {
  const prefixes = ['135', '136', '137', '138', '139', '150', '151', '158', '186', '188'];
  const digits = `${prefixes[randomInt(prefixes.length)]!}${String(randomInt(1e8)).padStart(8, '0')}`;
  return { digits, typed: `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` };
}

export function randomId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A writable that keeps everything written to it (e.g. pino output) as one string. */
export class MemoryStream extends Writable {
  private chunks: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    callback();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

export const COMPLAINT_NUMBER_PATTERN = /TS\d{8}-\d{6}/;

/** The first complaint number in `text` (fails the test when there is none). */
export function numberIn(text: string): string {
  const match = COMPLAINT_NUMBER_PATTERN.exec(text);
  expect(match, `no complaint number in: ${text}`).not.toBeNull();
  return match![0];
}

export interface ZhComplaint {
  name: string;
  phone: { digits: string; typed: string };
  description: string;
  referenceNumber: string;
  /** The answer to the amount question; 8万 unless given. */
  amount?: string;
}

/** Random personal data for one zh-CN complaint (a unique phone, so each test gets its own complainant). */
export function newZhComplaint(): ZhComplaint {
  return {
    name: randomChineseName(),
    phone: randomMobileTyped(),
    description: `车险理赔申请已经提交三个月，保险公司一直没有答复，希望尽快赔付（案件 ${randomBytes(3).toString('hex')}）`,
    referenceNumber: 'P2026-00123456',
  };
}

/**
 * Drives the whole zh-CN intake from the menu to the submission (time and e-mail skipped, 8万,
 * feedback by phone); returns each turn's replies, the last one being the answer to 确认提交.
 */
export async function fileZhComplaint(say: (text: string) => Promise<Partial<Activity>[]>, c: ZhComplaint): Promise<Partial<Activity>[][]> {
  const answers = ['我要投诉', '同意', '保险', '理赔纠纷', c.description, '跳过', c.referenceNumber, c.amount ?? '8万', c.name, c.phone.typed, '跳过', '电话', '确认提交'];
  const turns: Partial<Activity>[][] = [];
  for (const answer of answers) {
    const replies = await say(answer);
    expect(replies.length, `no reply to "${answer}"`).toBeGreaterThan(0);
    turns.push(replies);
  }
  return turns;
}
