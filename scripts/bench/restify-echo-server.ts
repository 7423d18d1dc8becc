// `npm run bench` child: the baseline of baselines — a bare restify server that parses the JSON body
// and answers with the text in the shape of an expectReplies response ({ activities: [...] }). No Bot
// Framework, no state. Sends { url } to the parent (fork IPC) once listening; exits on SIGTERM.
import restify from 'restify';
import { answerCpuRequests } from './child-server';

const server = restify.createServer({ name: 'bench-restify-echo', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', (req, res, next) => {
  const body = req.body as { text?: string; conversation?: { id?: string }; id?: string };
  res.send(200, { activities: [{ type: 'message', text: body.text ?? '', replyToId: body.id, conversation: body.conversation }] });
  return next();
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
answerCpuRequests();
