// A turn that fails half-way (a bug in a dialog, not the database): the customer's message and the
// apology are still in the transcript (the turn's lines are written with the session's one write,
// bot/turn-session.ts; this is the path where that write is not reached), and the conversation state
// is not saved from the failed turn.
import { randomUUID } from 'node:crypto';
import { ActivityTypes, TestAdapter, type TurnContext } from 'botbuilder';
import { ComponentDialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplaintBot } from '../../bot/complaint-bot';
import { OptimisticConversationState } from '../../bot/optimistic-conversation-state';
import { PostgresStorage } from '../../bot/postgres-storage';
import { ConversationTakeover } from '../../bot/takeover/conversation-takeover';
import { TranscriptRecorder } from '../../bot/takeover/transcript-recorder';
import { MAIN_DIALOG } from '../../dialogs/dialog-ids';
import type { MainDialog } from '../../dialogs/main-dialog';
import { readBotStates } from '../../services/bot-state/bot-state-store';
import { clientKeyring } from '../../services/pii/encrypting-client';
import { createLogger } from '../../services/logger';
import { createRedis } from '../../services/redis';
import { ConversationBus } from '../../services/takeover/conversation-bus';
import { TranscriptFeed } from '../../services/takeover/transcript-feed';
import { readConversationTranscript } from '../../services/transcripts/transcript-store';
import { PostgresTurnLock } from '../../services/turn-lock/turn-lock';
import { testCalendar, testDb } from '../support/app';
import { testDatabaseUrl } from '../support/database';
import { waitUntil } from '../support/wait-until';

const db = testDb(3);
const redis = createRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const lock = new PostgresTurnLock({ databaseUrl: testDatabaseUrl(), poolSize: 2 });
afterAll(async () => {
  await Promise.all([db.$disconnect(), lock.close(), redis.quit()]);
});

/** A main dialog that fails on its second message, after asking something on the first. */
class FailingDialog extends ComponentDialog {
  constructor() {
    super(MAIN_DIALOG);
  }
  override async onBeginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity('请问您要投诉什么？');
    return ComponentDialog.EndOfTurn;
  }
  override async onContinueDialog(): Promise<DialogTurnResult> {
    throw new Error('a bug in a dialog');
  }
}

beforeAll(async () => {
  if (redis.status === 'wait') await redis.connect();
});

describe('a failed turn', () => {
  it('keeps the customer message and the apology on record and does not save the failed turn\'s state', async () => {
    const log = createLogger({ level: 'silent' });
    const recorder = new TranscriptRecorder(new TranscriptFeed(db, new ConversationBus(redis)), log);
    const conversationState = new OptimisticConversationState(new PostgresStorage(db));
    const takeover = new ConversationTakeover({ db, recorder, calendar: testCalendar(), timeZone: 'Asia/Shanghai', minutesPerWaitingCustomer: 5, clock: () => new Date() });
    const bot = new ComplaintBot(conversationState, new FailingDialog() as unknown as MainDialog, undefined, takeover, lock, {
      keyring: clientKeyring(db),
      stateKeyOf: (context) => conversationState.getStorageKey(context),
      onTranscriptCommitted: async () => {},
    });
    const conversationId = `failing-${randomUUID()}`;
    const adapter = new TestAdapter((context: TurnContext) => bot.run(context), { channelId: 'test', conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' } });
    adapter.onTurnError = async (context, error) => {
      if ((error as Error).message !== 'a bug in a dialog') throw error;
      await context.sendActivity('抱歉，系统出了点问题，请再发一次。');
    };
    const say = (text: string) => adapter.send({ type: ActivityTypes.Message, text, locale: 'zh-CN' });
    await say('我要投诉').assertReply('请问您要投诉什么？');
    const key = `test/conversations/${conversationId}/`; // ConversationState: channel/conversations/id/namespace
    // The test adapter hands over a reply as it is sent; the turn's write lands when the turn ends.
    const savedAfterFirst = await waitUntil('the first turn\'s state', async () => (await readBotStates(db, [key])).get(key), 5_000);

    await say('理赔太慢了').assertReply('抱歉，系统出了点问题，请再发一次。');
    const transcript = await waitUntil('four transcript lines', async () => {
      const lines = await readConversationTranscript(db, { channelId: 'test', conversationId });
      return lines.length >= 4 ? lines : undefined;
    }, 5_000);
    expect(transcript.map((m) => [m.direction, m.text])).toEqual([
      ['inbound', '我要投诉'],
      ['outbound', '请问您要投诉什么？'],
      ['inbound', '理赔太慢了'],
      ['outbound', '抱歉，系统出了点问题，请再发一次。'],
    ]);
    // The failed turn saved nothing: the state is the one the first turn left.
    expect((await readBotStates(db, [key])).get(key)?.etag).toBe(savedAfterFirst!.etag);
  });
});
