// The menu's "talk to a person" chosen by its number is recorded by the dialog; the bot then tells
// the customer where they are in the queue (the turn looks the request up only after a dialog made one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatSession, LocalConnector, startApp, turnChoices, turnText, type RunningApp } from '../support/e2e';

let running: RunningApp;
let connector: LocalConnector;

beforeAll(async () => {
  [running, connector] = await Promise.all([startApp(), LocalConnector.start()]);
}, 60_000);

afterAll(async () => {
  await running?.app.close();
  await connector?.close();
});

describe('menu → talk to a person', () => {
  it('announces the queue position after the dialog records the request', async () => {
    const session = new ChatSession({ botUrl: running.botUrl, connector });
    const menu = await session.start();
    const choices = turnChoices(menu);
    const person = choices.findIndex((c) => /人工/.test(c));
    expect(person, choices.join(' | ')).toBeGreaterThanOrEqual(0);
    const reply = turnText(await session.say(String(person + 1)));
    expect(reply).toMatch(/排在第 \d+ 位/);
  });

  it('an ordinary answer gets no queue message', async () => {
    const session = new ChatSession({ botUrl: running.botUrl, connector });
    await session.start();
    const reply = turnText(await session.say('1'));
    expect(reply).not.toMatch(/排在第/);
  });
});
