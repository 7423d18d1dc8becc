/**
 * `npm run chat` — chat with the running bot from a terminal.
 *
 *   npm run chat -- [--url http://127.0.0.1:3978/api/messages] [--locale zh-CN] [--user cli-1a2b3c4d] [--channel webchat]
 *
 * Starts a LocalConnector on an ephemeral port (the bot posts its replies there), opens the
 * conversation with a conversationUpdate, then sends each line typed as a message. Buttons are
 * shown as numbered choices; typing the number sends the choice. `/quit` or Ctrl-D exits.
 */
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Activity } from 'botbuilder';
import {
  activityText,
  BotHttpError,
  BotUnreachableError,
  ChatSession,
  LocalConnector,
  type ActivityChoice,
} from './local-connector';

const HELP = `usage: npm run chat -- [options]

  --url <url>        the bot's messaging endpoint (default http://127.0.0.1:\${PORT:-3978}/api/messages)
  --locale <locale>  locale sent with each message (default zh-CN)
  --user <id>        user id (default cli-<8 hex>)
  --channel <id>     channel id (default webchat)
  -h, --help         this help

In the chat: type a message; a number picks a shown button; /quit or Ctrl-D exits.`;

interface Labels {
  bot: string;
  you: string;
  unreachable: (url: string) => string;
  ended: string;
  help: string;
}

function labelsFor(locale: string): Labels {
  if (locale.toLowerCase().startsWith('zh')) {
    return {
      bot: '机器人 ›',
      you: '你 ›',
      unreachable: (url) => `无法连接到机器人 ${url} —— \`npm start\` 是否在运行？ (cannot reach the bot at ${url} — is \`npm start\` running?)`,
      ended: '（对话已结束）',
      help: '输入消息后回车；输入按钮编号选择按钮；/quit 或 Ctrl-D 退出。',
    };
  }
  return {
    bot: 'bot ›',
    you: 'you ›',
    unreachable: (url) => `cannot reach the bot at ${url} — is \`npm start\` running?`,
    ended: '(conversation ended)',
    help: 'Type a message and press Enter; a number picks a button; /quit or Ctrl-D exits.',
  };
}

/** Terminal columns a string takes (CJK and full-width characters take two). */
function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

async function main(): Promise<number> {
  let values: { url?: string; locale?: string; user?: string; channel?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        locale: { type: 'string' },
        user: { type: 'string' },
        channel: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }

  const botUrl = values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3978}/api/messages`;
  const locale = values.locale ?? 'zh-CN';
  const userId = values.user ?? `cli-${randomBytes(4).toString('hex')}`;
  const channelId = values.channel ?? 'webchat';
  const labels = labelsFor(locale);

  const connector = await LocalConnector.start({ host: '127.0.0.1', port: 0 });
  const session = new ChatSession({ botUrl, connector, userId, userName: userId, locale, channelId });

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  process.stdin.setEncoding('utf8');
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
    prompt: `${labels.you} `,
  });

  let choices: ActivityChoice[] = [];
  let turnPending = false;
  let clearChoicesOnNextMessage = false;

  // Writes a block of output without mangling a half-typed input line.
  const print = (block: string) => {
    if (interactive && !turnPending) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      process.stdout.write(`${block}\n`);
      rl.prompt(true);
    } else {
      process.stdout.write(`${block}\n`);
    }
  };

  connector.onActivity((activity, event) => {
    if (event.conversationId !== session.conversationId) return;
    if (event.kind === 'delete') return;
    renderBotActivity(activity);
  });

  function renderBotActivity(activity: Partial<Activity>) {
    if (activity.type === 'endOfConversation') {
      print(labels.ended);
      return;
    }
    if (activity.type !== 'message') return; // typing, trace, events…
    const { text, choices: shown } = activityText(activity);
    if (clearChoicesOnNextMessage) {
      choices = [];
      clearChoicesOnNextMessage = false;
    }
    if (shown.length > 0) choices = shown;
    if (!text) return;
    const indent = ' '.repeat(displayWidth(labels.bot) + 1);
    const [first, ...rest] = text.split('\n');
    print([`${labels.bot} ${first ?? ''}`, ...rest.map((line) => `${indent}${line}`)].join('\n'));
  }

  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    rl.close();
    await connector.close().catch(() => undefined);
    process.exit(code);
  };
  // Output piped into e.g. `head` that has gone away: leave quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') void shutdown(0);
  });

  // Lines are processed one at a time, in order; lines typed during a turn wait their turn.
  const queue: string[] = [];
  let inputClosed = false;
  let working = false;
  let ready = false; // set once the conversation is open; lines typed before then wait

  const sendLine = async (line: string) => {
    const input = line.trim();
    if (!input) return;
    if (input === '/quit' || input === '/exit') {
      await shutdown(0);
      return;
    }
    if (input === '/help') {
      process.stdout.write(`${labels.help}\n`);
      return;
    }
    let text = input;
    const extra: Partial<Activity> = {};
    if (/^\d+$/.test(input)) {
      const choice = choices[Number(input) - 1];
      if (choice) {
        if (choice.type === 'openUrl' || choice.type === 'downloadFile' || choice.type === 'playAudio' || choice.type === 'playVideo') {
          process.stdout.write(`→ ${choice.value}\n`);
          return;
        }
        text = choice.value;
        if (choice.payload !== undefined) extra.value = choice.payload;
        process.stdout.write(`→ ${choice.label}\n`);
      }
    }
    if (!interactive) process.stdout.write(`${labels.you} ${text}\n`);
    clearChoicesOnNextMessage = true;
    turnPending = true;
    try {
      await session.say(text, extra);
    } catch (err) {
      if (err instanceof BotUnreachableError) process.stderr.write(`${labels.unreachable(botUrl)}\n`);
      else process.stderr.write(`error: ${(err as Error).message}\n`);
    } finally {
      turnPending = false;
    }
  };

  const pump = async () => {
    if (working || !ready) return;
    working = true;
    while (queue.length > 0 && !shuttingDown) {
      await sendLine(queue.shift() as string);
    }
    working = false;
    if (shuttingDown) return;
    if (inputClosed) {
      if (interactive) process.stdout.write('\n');
      await shutdown(0);
      return;
    }
    if (interactive) rl.prompt();
  };

  rl.on('line', (line) => {
    queue.push(line);
    void pump();
  });
  rl.on('close', () => {
    inputClosed = true;
    void pump();
  });
  rl.on('SIGINT', () => {
    void shutdown(0);
  });
  process.on('SIGTERM', () => {
    void shutdown(0);
  });

  // Open the conversation; this is also the reachability check.
  turnPending = true;
  try {
    await session.start();
  } catch (err) {
    if (err instanceof BotUnreachableError) {
      process.stderr.write(`${labels.unreachable(botUrl)}\n`);
      await shutdown(1);
      return 1;
    }
    if (err instanceof BotHttpError && (err.status === 404 || err.status === 405)) {
      process.stderr.write(`no bot endpoint at ${botUrl} (HTTP ${err.status}) — check --url\n`);
      await shutdown(1);
      return 1;
    }
    process.stderr.write(`warning: ${(err as Error).message}\n`);
  } finally {
    turnPending = false;
  }

  if (interactive) process.stdout.write(`${labels.help}\n`);
  ready = true;
  void pump(); // prompts, or handles lines piped in meanwhile
  return new Promise<number>(() => undefined); // exits through shutdown()
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`chat: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
