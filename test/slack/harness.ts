import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSlackAdapter, type SlackAdapter, type SlackTiming } from '../../adapters/chat/slack/index.ts';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import type { SlackConfig } from '../../adapters/chat/slack/config.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive, type HiveOptions } from '../../src/app/hive.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { startFakeVendor, type FakeBehaviour, type FakeRequest, type FakeVendor } from '../fakes/fake-vendor.ts';
import { startFakeSlackSocket, type FakeSlackSocket } from '../fakes/slack-socket.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type FakeSlackWorkspace } from '../fakes/slack-api.ts';
import { eventBody, interactionBody, postSigned, slashBody, type SignedResponse, type SlashFields } from '../fakes/slack-requests.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

export const SECRET = 'hive-test-signing-secret-4f9a1c';
export const BOT_TOKEN = fakeSecret('xoxb-', '1000-2000-harnessbottokenabc');
export const TEAM = 'T0001';
export const CHANNEL = 'C0001';
export const USER = 'U0001';
export const BOT_USER = 'UBOT';
export const KEY = 'sk-test-0123456789abcdefghijKLMN';
export const KEY_B = 'sk-test-ZYXWVUTSRQPONMLKJIHG98765';

export interface HarnessOptions {
  /** Multi-workspace OAuth instead of a single bot token. */
  oauth?: boolean;
  /** SQLite in the data folder instead of memory (to inspect the bytes at rest). */
  sqlite?: boolean;
  respond?: (req: FakeRequest) => FakeBehaviour | Promise<FakeBehaviour>;
  slack?: FakeSlackOptions;
  adminUserIds?: string;
  timing?: Partial<SlackTiming>;
  /** OpenAI keys registered (unverified) before start, by team id. */
  keys?: Record<string, string>;
  /** Socket Mode (SLACK_APP_TOKEN) over a fake WebSocket instead of HTTP. */
  socketMode?: boolean;
  /** The adapter's clock (placeholder delay, update pacing); it also stamps the fake Slack's calls. */
  clock?: Clock;
  /** More environment, over the harness's (e.g. `HIVE_HTTP_*` deadlines). */
  env?: Record<string, string>;
  /** The core's own options (its clock, an intake queue), as a deployment's start-up passes them. */
  hive?: Omit<HiveOptions, 'logSink'>;
}

export interface Harness {
  slack: FakeSlack;
  vendor: FakeVendor;
  hive: Hive;
  adapter: SlackAdapter;
  /** The Socket Mode connection, when `socketMode` is set. */
  socket: FakeSlackSocket | undefined;
  base: string;
  logs: string[];
  dataDir: string;
  slash(text: string, f?: Partial<SlashFields>): Promise<SignedResponse>;
  event(eventId: string, event: Record<string, unknown>, o?: { retryNum?: number; teamId?: string }): Promise<SignedResponse>;
  interact(payload: Record<string, unknown>): Promise<SignedResponse>;
  close(): Promise<void>;
}

/** A whole bot over loopback: fake Slack, fake OpenAI through the real SDK, real Hive core, real Bolt. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-slack-'));
  const vendor = await startFakeVendor({
    vendor: 'openai',
    validKeys: [KEY, KEY_B],
    respond: o.respond ?? (() => ({ text: '42', usage: { input: 10, output: 2 } })),
  });
  const workspaces: Record<string, FakeSlackWorkspace> = o.oauth ? {} : { [BOT_TOKEN]: { teamId: TEAM, botUserId: BOT_USER, botId: 'BBOT' } };
  const socket = o.socketMode ? await startFakeSlackSocket() : undefined;
  const slack = await startFakeSlack({
    workspaces,
    ...(socket ? { socketModeUrl: socket.url } : {}),
    ...(o.clock ? { now: () => o.clock!.now() } : {}),
    ...o.slack,
  });
  const logs: string[] = [];
  const env = harnessEnv(o, dataDir, slack.apiUrl, vendor.url, o.socketMode ? await freePort() : 0);
  const config = loadConfig(env, CHAT_ADAPTERS);
  const hive = await createHive(config, { ...o.hive, logSink: { write: (line) => void logs.push(line) } });
  for (const [team, key] of Object.entries(o.keys ?? {})) await hive.keys.register(`slack:${team}`, 'openai', key, { verify: false });
  const timing = { placeholderDelayMs: 5000, updateIntervalMs: 50, viewDeadlineMs: 2500, streamIntervalMs: 50, ...o.timing };
  const adapter = createSlackAdapter({
    config: config.chat.slack as SlackConfig,
    host: hive.host,
    bindAddress: '127.0.0.1',
    timing,
    ...(o.clock ? { clock: o.clock } : {}),
  });
  const { port } = await adapter.start();
  const base = `http://127.0.0.1:${port}`;
  const events = `${base}/slack/events`;
  return {
    slack,
    vendor,
    hive,
    adapter,
    socket,
    base,
    logs,
    dataDir,
    slash: (text, f = {}) => {
      const body = slashBody({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: USER,
        command: '/ask',
        text,
        responseUrl: slack.responseUrl(`r${Math.random()}`),
        ...f,
      });
      return postSigned(events, body, { secret: SECRET, contentType: 'application/x-www-form-urlencoded' });
    },
    event: (eventId, event, eo = {}) =>
      postSigned(events, eventBody(eo.teamId ?? TEAM, eventId, event), {
        secret: SECRET,
        contentType: 'application/json',
        ...(eo.retryNum ? { retryNum: eo.retryNum } : {}),
      }),
    interact: (payload) => postSigned(events, interactionBody(payload), { secret: SECRET, contentType: 'application/x-www-form-urlencoded' }),
    async close() {
      await adapter.stop();
      await hive.close();
      await Promise.all([vendor.close(), slack.close(), socket?.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The environment a deployment would set, pointed at the fakes. */
function harnessEnv(o: HarnessOptions, dataDir: string, slackApiUrl: string, openaiUrl: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HIVE_DATA_DIR: dataDir,
    HIVE_STORE_URL: o.sqlite ? `sqlite://${path.join(dataDir, 'hive.sqlite')}` : 'memory://',
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApiUrl,
    // The fake serves shared files from its own origin, as files.slack.com does for Slack.
    SLACK_FILES_URL: new URL(slackApiUrl).origin,
    OPENAI_BASE_URL: openaiUrl,
    ...(o.adminUserIds ? { HIVE_ADMIN_USER_IDS: o.adminUserIds } : {}),
    ...(o.socketMode ? { SLACK_APP_TOKEN: 'xapp-1-AHIVE-1-socketmodetokenabcdef' } : {}),
    ...(o.oauth
      ? { SLACK_CLIENT_ID: '1000.2000', SLACK_CLIENT_SECRET: 'oauth-client-secret-123456', SLACK_STATE_SECRET: 'oauth-state-secret-abcdef' }
      : { SLACK_BOT_TOKEN: BOT_TOKEN }),
    ...o.env,
  };
}

/** A port nothing listens on right now (Socket Mode's health server takes a fixed port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Section and context texts of a posted message, in order. */
export function blockTexts(body: Record<string, unknown>): string[] {
  const blocks = (body.blocks ?? []) as { type: string; text?: { text: string }; elements?: { text?: string }[] }[];
  return blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : (b.elements ?? []).map((e) => e.text ?? '').join(' ')));
}

/** Every chunk sent to native streams (start, appends, stop), in order. */
export function streamChunks(slack: FakeSlack): { type: string; text?: string; id?: string; status?: string; title?: string }[] {
  return slack.calls
    .filter((c) => ['chat.startStream', 'chat.appendStream', 'chat.stopStream'].includes(c.method))
    .flatMap((c) => (Array.isArray(c.body.chunks) ? (c.body.chunks as { type: string }[]) : []));
}

/** The markdown streamed, all chunks joined. */
export function streamedText(slack: FakeSlack): string {
  return streamChunks(slack)
    .filter((c) => c.type === 'markdown_text')
    .map((c) => c.text ?? '')
    .join('');
}

/** The chat messages the fake vendor received in a chat.completions request. */
export function vendorMessages(req: FakeRequest): { role: string; content: string }[] {
  return ((req.body as { messages?: { role: string; content: string }[] }).messages ?? []).filter((m) => m.role !== 'system');
}

/** Only the model calls (not key verification) the fake vendor received. */
export function modelCalls(v: FakeVendor): FakeRequest[] {
  return v.requests.filter((r) => r.path.includes('/chat/completions'));
}
