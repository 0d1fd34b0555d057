import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/chat/slack/index.ts';
import { shownUrl } from '../../adapters/chat/slack/startup.ts';
import { createManualClock, type ManualClock } from '../../src/shared/clock.ts';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import type { SlackConfig } from '../../adapters/chat/slack/config.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import { startFakeSlackSocket, type FakeSlackSocket } from '../fakes/slack-socket.ts';
import { BOT_TOKEN, BOT_USER, SECRET, TEAM, freePort } from './harness.ts';

const APP_TOKEN = 'xapp-1-AHIVE-1-socketmodetokenabcdef';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Builds Hive and the Slack adapter as `npm start` would, against `apiUrl`; `start()` is left to the test. */
async function adapterFor(apiUrl: string, o: { socket?: boolean; clock?: ManualClock } = {}): Promise<{ adapter: SlackAdapter; hive: Hive; logs: string[] }> {
  const env = {
    PORT: String(o.socket ? await freePort() : 0),
    HIVE_STORE_URL: 'memory://',
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: apiUrl,
    ...(o.socket ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
  };
  const config = loadConfig(env, CHAT_ADAPTERS);
  const logs: string[] = [];
  const hive = await createHive(config, { logSink: { write: (line) => void logs.push(line) } });
  cleanups.push(() => hive.close());
  const adapter = createSlackAdapter({
    config: config.chat.slack as SlackConfig,
    host: hive.host,
    bindAddress: '127.0.0.1',
    ...(o.clock ? { clock: o.clock } : {}),
  });
  return { adapter, hive, logs };
}

async function fakeSlack(o: Parameters<typeof startFakeSlack>[0] = {}): Promise<FakeSlack> {
  const slack = await startFakeSlack({ workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: BOT_USER, botId: 'BBOT' } }, ...o });
  cleanups.push(() => slack.close());
  return slack;
}

/** Its error message; fails the test if `start()` succeeds. */
async function startFailure(adapter: SlackAdapter): Promise<string> {
  const err: unknown = await adapter.start().then(
    () => new Error('start() succeeded'),
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'SlackStartError', code: 'slack_start_failed' });
  return (err as Error).message;
}

function expectNoSecrets(text: string): void {
  for (const secret of [BOT_TOKEN, APP_TOKEN, SECRET]) expect(text).not.toContain(secret);
}

describe('Slack start-up failures say what failed, where, and what to check', () => {
  it('names the API URL and the refused connection when nothing listens at SLACK_API_URL', async () => {
    const apiUrl = `http://127.0.0.1:${await freePort()}/api/`;
    const { adapter, logs } = await adapterFor(apiUrl);
    const message = await startFailure(adapter);
    expect(message).toBe(
      `Slack start-up failed: auth.test (checking SLACK_BOT_TOKEN) could not reach ${apiUrl} (SLACK_API_URL) (ECONNREFUSED). Check SLACK_API_URL and that this machine can reach it (DNS, proxy, firewall).`,
    );
    expectNoSecrets(message + logs.join(''));
  });

  it('says the token was refused, naming SLACK_BOT_TOKEN but not its value, on invalid_auth', async () => {
    const slack = await fakeSlack({ workspaces: {} });
    const { adapter, logs } = await adapterFor(slack.apiUrl);
    const message = await startFailure(adapter);
    expect(message).toContain(`auth.test (checking SLACK_BOT_TOKEN) at ${slack.apiUrl} (SLACK_API_URL) was refused: invalid_auth.`);
    expect(message).toContain('Check that SLACK_BOT_TOKEN is this app');
    expect(slack.of('auth.test')).toHaveLength(1);
    expectNoSecrets(message + logs.join(''));
  });

  it('gives up on an API that never answers at the stated deadline, and says so', async () => {
    const stuck: Server = createServer(() => undefined);
    await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => (stuck.closeAllConnections(), stuck.close(r))));
    const apiUrl = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}/api/`;
    const clock = createManualClock();
    const { adapter } = await adapterFor(apiUrl, { clock });
    const failed = startFailure(adapter);
    await new Promise<void>((r) => stuck.once('request', () => r()));
    await clock.advance(10_000);
    const message = await failed;
    expect(message).toBe(
      `Slack start-up failed: auth.test (checking SLACK_BOT_TOKEN) to ${apiUrl} (SLACK_API_URL) did not complete within 10 s. Check SLACK_API_URL and that this machine can reach it (DNS, proxy, firewall).`,
    );
  });

  it('shows a URL without its user, password, query or fragment', () => {
    expect(shownUrl('https://user:proxy-password@gw.example:8443/slack/api/?sig=abc#x')).toBe('https://gw.example:8443/slack/api/');
    expect(shownUrl('not a url')).toBe('(an invalid URL)');
  });

  it('says the app token was refused when apps.connections.open answers invalid_auth (Socket Mode)', async () => {
    const slack = await fakeSlack();
    const { adapter, logs } = await adapterFor(slack.apiUrl, { socket: true });
    const message = await startFailure(adapter);
    expect(message).toContain(`Socket Mode apps.connections.open (with SLACK_APP_TOKEN) at ${slack.apiUrl} (SLACK_API_URL) was refused: invalid_auth.`);
    expect(message).toContain('Check that SLACK_APP_TOKEN is this app');
    expectNoSecrets(message + logs.join(''));
  });

  it('gives up on a Socket Mode WebSocket that never says hello, naming its URL without the ticket', async () => {
    const socket: FakeSlackSocket = await startFakeSlackSocket({ silent: true });
    cleanups.push(() => socket.close());
    const slack = await fakeSlack({ socketModeUrl: `${socket.url}?ticket=secret-ticket-123` });
    const clock = createManualClock();
    const { adapter } = await adapterFor(slack.apiUrl, { socket: true, clock });
    const failed = startFailure(adapter);
    await socket.connected();
    await clock.advance(10_000);
    const message = await failed;
    expect(message).toContain(
      `Socket Mode WebSocket connection to ${socket.url} (the URL apps.connections.open returned; outbound WebSocket (wss, port 443)) did not complete within 10 s.`,
    );
    expect(message).not.toContain('secret-ticket-123');
  });

  it('still starts when the API answers (the checks do not get in the way)', async () => {
    const slack = await fakeSlack();
    const { adapter } = await adapterFor(slack.apiUrl);
    const { port } = await adapter.start();
    cleanups.push(() => adapter.stop());
    expect(port).toBeGreaterThan(0);
    expect(slack.of('auth.test')).toHaveLength(1);
  });
});
