import { App, type Logger as BoltLogger, LogLevel, type Receiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { eventBody, interactionBody, postSigned } from '../fakes/slack-requests.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

/** A receiver under test, built for one signing secret; `start` resolves with the port it bound. */
export interface ReceiverUnderTest {
  receiver: Receiver;
  start(): Promise<number>;
}

const SECRET = 'receiver-contract-signing-secret';
const TEAM = 'T0001';
const who = { user: { id: 'U0001', team_id: TEAM }, team: { id: TEAM, domain: 'hive' }, api_app_id: 'AHIVE', token: 'legacy' };

/** A Bolt logger that says nothing, for the apps and receivers under test. */
export const quietBoltLogger: BoltLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * What any Bolt receiver must do, Bolt's own or Hive's: a signed request reaches a listener through
 * `app.processEvent`, the listener's ack answers the HTTP request, a failing listener still gets
 * its request answered, and `stop()` closes the port.
 */
export function runReceiverContract(name: string, build: (signingSecret: string) => ReceiverUnderTest): void {
  describe(`${name} as a Bolt receiver`, () => {
    let stop: (() => Promise<unknown>) | undefined;
    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    const boot = async () => {
      const r = build(SECRET);
      const botToken = fakeSecret('xoxb-', '1-2-receivercontracttoken');
      const app = new App({ receiver: r.receiver, logger: quietBoltLogger, authorize: async () => ({ botToken, botId: 'BBOT', botUserId: 'UBOT' }) });
      const port = await r.start();
      stop = () => r.receiver.stop();
      const url = `http://127.0.0.1:${port}/slack/events`;
      return { app, url, stopNow: () => ((stop = undefined), r.receiver.stop()) };
    };
    const form = 'application/x-www-form-urlencoded' as const;

    it('GIVEN a signed event THEN it reaches its listener, with the retry header on its context, and the request is answered 200', async () => {
      const { app, url } = await boot();
      const seen: { text: string; retryNum: number | undefined }[] = [];
      let heard: () => void = () => undefined;
      const reached = new Promise<void>((r) => (heard = r));
      app.event('app_mention', async ({ event, context }) => {
        seen.push({ text: event.text, retryNum: context.retryNum });
        heard();
      });
      const body = eventBody(TEAM, 'EvContract1', { type: 'app_mention', user: 'U0001', text: 'hello', ts: '1700000000.000100', channel: 'C0001' });
      const res = await postSigned(url, body, { secret: SECRET, contentType: 'application/json', retryNum: 1 });
      await reached;
      expect([res.status, seen]).toEqual([200, [{ text: 'hello', retryNum: 1 }]]);
    });

    it("GIVEN an interaction THEN the listener's ack answers the request with the body it gave", async () => {
      const { app, url } = await boot();
      app.view('contract_view', async ({ ack }) => {
        await ack({ response_action: 'errors', errors: { key: 'Not a key' } });
      });
      const view = { id: 'V1', team_id: TEAM, type: 'modal', callback_id: 'contract_view', private_metadata: '', state: { values: {} } };
      const res = await postSigned(url, interactionBody({ ...who, type: 'view_submission', trigger_id: 't.contract.1', view }), {
        secret: SECRET,
        contentType: form,
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ response_action: 'errors', errors: { key: 'Not a key' } });
    });

    it('GIVEN a listener that throws before acking THEN the request is still answered, and the server keeps serving', async () => {
      const { app, url } = await boot();
      app.shortcut('contract_boom', async () => {
        throw new Error('listener failed');
      });
      app.event('reaction_added', async () => {
        throw new Error('listener failed');
      });
      const shortcut = interactionBody({ ...who, type: 'shortcut', callback_id: 'contract_boom', trigger_id: 't.contract.2', action_ts: '1.2' });
      const failed = await postSigned(url, shortcut, { secret: SECRET, contentType: form });
      const reaction = { type: 'reaction_added', user: 'U0001', reaction: 'x', item: { type: 'message', channel: 'C0001', ts: '1.1' } };
      const event = await postSigned(url, eventBody(TEAM, 'EvContract2', reaction), { secret: SECRET, contentType: 'application/json' });
      expect([failed.status, event.status]).toEqual([500, 200]);
    });

    it('GIVEN stop() THEN the port no longer accepts connections', async () => {
      const { url, stopNow } = await boot();
      await stopNow();
      await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
    });
  });
}
