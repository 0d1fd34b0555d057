import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import { createDiscordAdapter } from '../../adapters/chat/discord/index.ts';
import { createDiscordAnswerer } from '../../adapters/chat/discord/answerer.ts';
import { textOfComponents } from '../../adapters/chat/discord/message-body.ts';
import type { DiscordConfig } from '../../adapters/chat/discord/config.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive, type HiveOptions } from '../../src/app/hive.ts';
import type { ChatAdapter } from '../../src/chat/chat-adapter.ts';
import type { JobQueue } from '../../src/jobs/job-queue.ts';
import { APPLICATION_ID, startFakeDiscord, type DiscordRequest, type FakeDiscord, type FakeGuild } from '../fakes/discord-api.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { startFakeVendor, type FakeBehaviour, type FakeRequest, type FakeVendor } from '../fakes/fake-vendor.ts';

export const GUILD = '400000000000000001';
export const CHANNEL = '400000000000000002';
/** A second text channel of the guild (`#random`), for what must differ between channels. */
export const OTHER_CHANNEL = '400000000000000003';
export const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAy.fake.discord-bot-token-0123456789';
export const KEY = 'sk-guild-0123456789abcdefghijKLMN';
export const KEY_B = 'sk-guild-ZYXWVUTSRQPONMLKJIHG98765';
export const ANTHROPIC_KEY = fakeSecret('sk-ant-', 'guild-0123456789abcdefghijKLMN');
/** Manage Server (Manage Guild), as Discord sends a member's permissions. */
export const MANAGE_GUILD = '32';

let stops: (() => Promise<void>)[] = [];
/** What the fake OpenAI answers; a test may change it. */
export const vendorAnswer: { next: () => FakeBehaviour } = { next: () => defaultAnswer() };
const defaultAnswer = (): FakeBehaviour => ({ text: 'Paris is the capital of France.', usage: { input: 40, output: 9 } });
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
  vendorAnswer.next = defaultAnswer;
});

export interface DiscordHarness {
  discord: FakeDiscord;
  vendor: FakeVendor;
  /** The fake Anthropic, when started (`anthropic`). */
  anthropic: FakeVendor | undefined;
  hive: Hive;
  adapter: ChatAdapter;
  logs: string[];
  dataDir: string;
  /** The Discord settings the adapter runs on (a worker's answerer takes the same). */
  discordConfig: DiscordConfig;
  close(): Promise<void>;
}

/** Hive on SQLite with the Discord adapter, logged in to a fake Discord; the guild has the OpenAI key `KEY` unless `keyless`. */
export interface DiscordHarnessOptions {
  keyless?: boolean;
  now?: () => number;
  /** Closed by the caller (`close()`), not after each test. */
  keep?: boolean;
  /** How the fake OpenAI answers (else `vendorAnswer`). */
  respond?: (req: FakeRequest) => FakeBehaviour;
  /** Spacing of streaming edits. */
  streamEditMs?: number;
  /** How gateway logins wait (default: really). */
  identifySleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Gateway logins already on record for this bot (a restart loop before this start). */
  recentLogins?: number[];
  /** What the fake's `/gateway/bot` says is left of the day's sessions. */
  sessionStartsLeft?: number;
  /** Also a fake Anthropic, with the guild's key `ANTHROPIC_KEY` (answering like `respond`). */
  anthropic?: boolean;
  /** Scale-out intake: model jobs go on this queue instead of running. */
  queue?: JobQueue;
  /** More of the guild: roles, members, and channels after `#general` and `#random`. */
  guild?: Partial<Omit<FakeGuild, 'id'>>;
  /** More environment, over the harness's (other vendors' base URLs, file limits). */
  env?: Record<string, string>;
  /** Draws `/hive usage`'s chart instead of the real PNG (one that fails). */
  drawSpendChart?: HiveOptions['drawSpendChart'];
}

export async function startDiscord(o: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-discord-'));
  const respond = (req: FakeRequest) => (o.respond ? o.respond(req) : vendorAnswer.next());
  const vendor = await startFakeVendor({ vendor: 'openai', validKeys: [KEY, KEY_B], respond });
  const anthropic = o.anthropic ? await startFakeVendor({ vendor: 'anthropic', validKeys: [ANTHROPIC_KEY], respond }) : undefined;
  const discord = await startFakeDiscord({
    guilds: [
      {
        ...o.guild,
        id: GUILD,
        channels: [{ id: CHANNEL, name: 'general' }, { id: OTHER_CHANNEL, name: 'random' }, ...(o.guild?.channels ?? [])],
      },
    ],
    ...(o.sessionStartsLeft !== undefined ? { sessionStartsLeft: o.sessionStartsLeft } : {}),
  });
  const logs: string[] = [];
  const config = loadConfig(
    {
      HIVE_DATA_DIR: dataDir,
      HIVE_STORE_URL: `sqlite://${path.join(dataDir, 'hive.sqlite')}`,
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'debug',
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_CDN_URL: discord.cdn.origin,
      OPENAI_BASE_URL: vendor.url,
      ...(anthropic ? { ANTHROPIC_BASE_URL: anthropic.url } : {}),
      ...o.env,
    },
    CHAT_ADAPTERS,
  );
  const hive = await createHive(config, {
    logSink: { write: (line) => void logs.push(line) },
    ...(o.queue ? { queue: o.queue } : {}),
    ...(o.drawSpendChart ? { drawSpendChart: o.drawSpendChart } : {}),
  });
  if (!o.keyless) await hive.keys.register(`discord:${GUILD}`, 'openai', KEY, { verify: false });
  if (anthropic) await hive.keys.register(`discord:${GUILD}`, 'anthropic', ANTHROPIC_KEY, { verify: false });
  if (o.recentLogins) await hive.host.store.ns<number[]>('gateway').set(`identify:${APPLICATION_ID}`, o.recentLogins);
  const discordConfig = config.chat['discord'] as DiscordConfig;
  const adapter = createDiscordAdapter({
    config: discordConfig,
    host: hive.host,
    ...(o.now ? { now: o.now } : {}),
    ...(o.streamEditMs !== undefined ? { streamEditMs: o.streamEditMs } : {}),
    ...(o.identifySleep ? { identifySleep: o.identifySleep } : {}),
  });
  const close = async () => {
    await adapter.stop();
    await hive.close();
    await Promise.all([vendor.close(), discord.close(), anthropic?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await adapter.start();
  } catch (e) {
    await close();
    throw e;
  }
  if (!o.keep) stops.push(close);
  return { discord, vendor, anthropic, hive, adapter, logs, dataDir, discordConfig, close };
}

/** The edit of an interaction's original (deferred) response. */
export const isEdit = (token: string) => (r: DiscordRequest) => r.method === 'PATCH' && r.path === `/webhooks/${APPLICATION_ID}/${token}/messages/@original`;
/** The first response to an interaction (defer, reply or modal). */
export const isCallback = (id: string, token: string) => (r: DiscordRequest) => r.method === 'POST' && r.path === `/interactions/${id}/${token}/callback`;

/** A worker beside the harness's Hive (same stores): the REST-only answerer, and the job handler that runs queued jobs through it. */
export function discordWorker(h: DiscordHarness, o: { streamEditMs?: number; now?: () => number } = {}) {
  const answerer = createDiscordAnswerer({ config: h.discordConfig, host: h.hive.host, streamEditMs: o.streamEditMs ?? 20, ...(o.now ? { now: o.now } : {}) });
  stops.push(() => answerer.stop());
  return { answerer, handle: h.hive.answerJobs(new Map([['discord', answerer]]), 'w1') };
}

/** What a message body shows as text: its `content`, or (Components V2) its text displays in order, one per line. */
export function textOf(body: Record<string, unknown> | undefined): string {
  const components = Array.isArray(body?.['components']) ? (body['components'] as unknown[]) : [];
  if (typeof body?.['content'] === 'string' && (body['content'] !== '' || components.length === 0)) return body['content'];
  return textOfComponents(components);
}

/**
 * A private answer to an interaction: its own first response carrying a message (a refusal made at
 * once), or a private follow-up (a refusal after the reply was deferred).
 */
export const isPrivateReply = (token: string) => (r: DiscordRequest) =>
  r.method === 'POST' &&
  (r.path === `/webhooks/${APPLICATION_ID}/${token}` || (new RegExp(`^/interactions/\\d+/${token}/callback$`).test(r.path) && r.body?.['type'] === 4));

/** The message a request sends: a first response's `data`, else the body itself. */
export const sentMessage = (r: DiscordRequest): Record<string, unknown> | undefined =>
  /^\/interactions\//.test(r.path) ? (r.body?.['data'] as Record<string, unknown> | undefined) : r.body;
