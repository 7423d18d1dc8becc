// What every `npm run bench` server child shares: answering the parent's CPU question, and for the
// Bot Framework bots the restify + anonymous CloudAdapter set-up (as bot/adapter.ts builds it without
// an app id). With deliveryMode 'expectReplies' the adapter returns the replies in the HTTP response.
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';

/** The parent asks for this process's CPU time around each phase (CPU ms per turn: robust on a shared machine). */
export function answerCpuRequests(): void {
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
}

/** Serves `logic` on POST /api/messages; sends { url } to the parent once listening; `onStop` runs on SIGTERM before exiting. */
export function serveCloudAdapterBot(name: string, logic: (context: TurnContext) => Promise<void>, onStop: () => Promise<unknown> = async () => undefined): void {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' }));
  adapter.onTurnError = async (context, error) => {
    console.error(`${name} turn failed`, (error as Error)?.message);
    await context.sendActivity('error');
  };
  const server = restify.createServer({ name, handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, logic);
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
  });
  process.on('SIGTERM', () => server.close(() => void onStop().finally(() => process.exit(0))));
  answerCpuRequests();
}
