// `npm run bench` child: a stateless Bot Framework echo bot — restify + the same CloudAdapter set-up
// as the product (bot/adapter.ts, anonymous), no state, no storage. With deliveryMode 'expectReplies'
// the adapter returns the reply in the HTTP response. Sends { url } to the parent once listening.
import { serveCloudAdapterBot } from './child-server';

serveCloudAdapterBot('bench-echo-bot', async (context) => {
  if (context.activity.type === 'message') await context.sendActivity(context.activity.text ?? '');
});
