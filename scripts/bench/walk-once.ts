// Debug helper for `npm run bench`: walks N intake conversations one after the other against a running
// server (BENCH_URL) and prints each turn's time and first reply line.
import { performance } from 'node:perf_hooks';
import { intakeScript, newPool } from './customers';
import { randomUUID } from 'node:crypto';

const url = process.env.BENCH_URL!;
const pool = newPool(url, 1);
for (let n = 0; n < Number(process.env.WALKS ?? 2); n++) {
  const conversationId = `walk-${randomUUID()}`;
  for (const text of intakeScript()) {
    const t0 = performance.now();
    const res = await pool.request({ path: '/api/messages', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      type: 'message', id: randomUUID(), channelId: 'webchat', serviceUrl: 'http://127.0.0.1:9', from: { id: 'walker', role: 'user' }, recipient: { id: 'bot' },
      conversation: { id: conversationId }, locale: 'zh-CN', text, deliveryMode: 'expectReplies', timestamp: new Date().toISOString() }) });
    const body = await res.body.text();
    const first = ((JSON.parse(body).activities ?? [])[0]?.text ?? body).slice(0, 60).replace(/\n/g, ' ');
    if (process.env.DELAY_MS) await new Promise((r) => setTimeout(r, Number(process.env.DELAY_MS)));
    console.log(`${(performance.now() - t0).toFixed(0).padStart(6)} ms ${res.statusCode} ${text.slice(0, 12).padEnd(12)} → ${first}`);
  }
}
await pool.close();
