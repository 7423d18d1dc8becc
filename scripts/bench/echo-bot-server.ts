// `npm run bench` child: a stateless Bot Framework echo bot — restify + the same CloudAdapter set-up
// as the product (bot/adapter.ts, anonymous), no state, no storage. With deliveryMode 'expectReplies'
// the adapter returns the reply in the HTTP response. Sends { url } to the parent once listening.
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' }));
adapter.onTurnError = async (context, error) => {
  console.error('echo bot turn failed', (error as Error)?.message);
  await context.sendActivity('error');
};
const server = restify.createServer({ name: 'bench-echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(context.activity.text ?? '');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// The parent asks for this process's CPU time around each phase (CPU ms per turn: robust on a shared machine).
process.on('message', (m) => {
  if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
