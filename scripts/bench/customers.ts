// `npm run bench` load generator: simulated customers. Each walks the whole zh-CN intake (the turn
// script of test/support/e2e.ts fileZhComplaint: menu → consent → line → type → description → time
// skipped → policy number → amount → name → phone → e-mail skipped → feedback by phone → 确认提交),
// one turn at a time, and starts a new conversation once the complaint number arrived (or a turn
// failed). Turns are POSTed to /api/messages with deliveryMode 'expectReplies' through one undici
// Pool (keep-alive, N connections): the replies come back in the HTTP response body.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export const COMPLAINT_NUMBER = /TS\d{8}-\d{6}/;
/** The bot's apology after a failed turn (dialogs/i18n/messages.ts turnError). */
const APOLOGY = /系统出现了问题|something went wrong on our side/;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林'];
const GIVEN = ['伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟'];
const PREFIXES = ['135', '136', '137', '138', '139', '150', '151', '158', '186', '188'];
const pick = (list: string[]) => list[randomInt(list.length)]!;

/** The customer's answers, in order; random name, phone and description per conversation. */
export function intakeScript(): string[] {
  const phone = `${pick(PREFIXES)}${String(randomInt(1e8)).padStart(8, '0')}`;
  return [
    '我要投诉', '同意', '保险', '理赔纠纷',
    `车险理赔申请已经提交三个月，保险公司一直没有答复，希望尽快赔付（案件 ${randomBytes(3).toString('hex')}）`,
    '跳过', 'P2026-00123456', '8万', pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
    `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, '跳过', '电话', '确认提交',
  ];
}

export type TurnOutcome = 'ok' | 'http_error' | 'network_error' | 'timeout' | 'no_reply' | 'apology';

export interface TurnResult {
  outcome: TurnOutcome;
  status?: number;
  /** The last turn of a conversation: did the complaint number arrive? */
  numberArrived?: boolean;
  /** For echo servers: did the reply carry the text sent? */
  echoed?: boolean;
}

export interface Counters {
  turns: number;
  outcomes: Record<TurnOutcome, number>;
  statuses: Record<string, number>;
  conversationsOk: number;
  conversationsFailed: number;
}

export function newCounters(): Counters {
  return { turns: 0, outcomes: { ok: 0, http_error: 0, network_error: 0, timeout: 0, no_reply: 0, apology: 0 }, statuses: {}, conversationsOk: 0, conversationsFailed: 0 };
}

export interface Target {
  pool: Pool;
  /** 'echo': the server repeats the text (a conversation is OK when every turn was echoed); 'bot': OK when the number arrives. */
  kind: 'echo' | 'bot';
  timeoutMs: number;
}

export function newPool(url: string, connections: number): Pool {
  return new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
}

export class Customer {
  private script: string[] = [];
  private step = 0;
  private conversationId = '';
  private readonly userId = `bench-user-${randomBytes(5).toString('hex')}`;
  /**
   * The customer's own address, as a proxy in front of the bot would forward it (X-Forwarded-For): the
   * bot, trusting one proxy hop, takes the per-address and per-user message budgets on every turn as
   * it does in production (requests straight from loopback would skip them).
   */
  private readonly address = `10.${randomBytes(3).join('.')}`;
  private failedThisConversation = false;

  /** Where this customer's turns are counted (the phase in progress sets it). */
  counters: () => Counters = newCounters;

  constructor(private readonly target: Target, private readonly scriptOf: () => string[] = intakeScript) {
    this.newConversation();
  }

  private newConversation(): void {
    this.script = this.scriptOf();
    this.step = 0;
    this.conversationId = `bench-${randomUUID()}`;
    this.failedThisConversation = false;
  }

  /** Sends the next turn of the conversation and resolves when its replies arrived (or it failed). */
  async nextTurn(): Promise<{ outcome: TurnOutcome; endMs: number }> {
    const text = this.script[this.step]!;
    const last = this.step === this.script.length - 1;
    const result = await this.send(text, last);
    const c = this.counters();
    c.turns += 1;
    c.outcomes[result.outcome] += 1;
    if (result.status !== undefined) c.statuses[result.status] = (c.statuses[result.status] ?? 0) + 1;
    const endMs = performance.now();
    if (result.outcome !== 'ok' || (this.target.kind === 'echo' && !result.echoed)) this.failedThisConversation = true;
    if (result.outcome !== 'ok') {
      // The customer gives up on this conversation and starts again.
      c.conversationsFailed += 1;
      this.newConversation();
    } else if (last) {
      const ok = !this.failedThisConversation && (this.target.kind === 'echo' ? result.echoed === true : result.numberArrived === true);
      if (ok) c.conversationsOk += 1;
      else c.conversationsFailed += 1;
      this.newConversation();
    } else {
      this.step += 1;
    }
    return { outcome: result.outcome, endMs };
  }

  private async send(text: string, last: boolean): Promise<TurnResult> {
    const now = new Date().toISOString();
    const activity = {
      type: 'message',
      id: `bench-${randomUUID()}`,
      timestamp: now,
      localTimestamp: now,
      channelId: 'webchat',
      // Never called: with expectReplies the replies come back in the HTTP response.
      serviceUrl: 'http://127.0.0.1:9',
      from: { id: this.userId, name: this.userId, role: 'user' },
      recipient: { id: 'bot', name: 'bot', role: 'bot' },
      conversation: { id: this.conversationId },
      locale: 'zh-CN',
      textFormat: 'plain',
      text,
      deliveryMode: 'expectReplies',
    };
    try {
      const res = await this.target.pool.request({
        path: '/api/messages', method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': this.address },
        body: JSON.stringify(activity),
        headersTimeout: this.target.timeoutMs, bodyTimeout: this.target.timeoutMs,
      });
      const body = await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) return { outcome: 'http_error', status: res.statusCode };
      const replies = (JSON.parse(body) as { activities?: { text?: string }[] }).activities ?? [];
      if (replies.length === 0) return { outcome: 'no_reply', status: res.statusCode };
      if (APOLOGY.test(body)) return { outcome: 'apology', status: res.statusCode };
      return {
        outcome: 'ok', status: res.statusCode,
        numberArrived: last ? COMPLAINT_NUMBER.test(body) : undefined,
        echoed: replies.some((r) => r.text === text),
      };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { outcome: 'timeout' };
      return { outcome: 'network_error' };
    }
  }
}
