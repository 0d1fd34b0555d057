import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive } from '../../src/app/hive.ts';
import { startFakeVendor, type FakeRequest } from '../fakes/fake-vendor.ts';
import { startFakeSlack } from '../fakes/slack-api.ts';
import { postSigned, slashBody } from '../fakes/slack-requests.ts';
import { APPLICATION_ID, startFakeDiscord } from '../fakes/discord-api.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { until } from '../helpers/until.ts';
import { freePort } from '../slack/harness.ts';
import { startProcess, stopProcess, type ClusterProcess } from '../scale/cluster.ts';
import { allSettled, discordOutcomes, slackOutcomes, slackTrail, unsettled, type JobOutcome } from './job-outcomes.ts';
import Database from 'better-sqlite3';

const SECRET = 'hive-faults-signing-secret-51c2';
const BOT_TOKEN = fakeSecret('xoxb-', '5000-6000-faultsbottoken');
const DISCORD_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDA1.fault.discord-bot-token-0123456789';
const OPENAI_KEY = fakeSecret('sk-', 'faults-openai-0123456789abcdefghij');
const TEAM = 'T0FAULT1';
const CHANNEL = 'C0FAULT1';
const GUILD = '500000000000000081';
const DISCORD_CHANNEL = '500000000000000082';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Answers name their question, and take long enough that a burst is still under way when the fault lands. */
const answer = (r: FakeRequest) => {
  const n = Number(/q-\w(\d+)/.exec(r.lastUserText)?.[1] ?? 0);
  return {
    text: `Answer for ${/q-\w+/.exec(r.lastUserText)?.[0] ?? 'something'}.`,
    usage: { input: 30, output: 6 },
    latencyMs: 200 + ((n * 53) % 600),
    chunkDelayMs: 5,
  };
};

/** One process on its own, with Slack and Discord, SQLite in its data folder: the install `npm start` makes. */
async function single() {
  let down = false;
  const vendor = await startFakeVendor({ vendor: 'openai', validKeys: [OPENAI_KEY], respond: (r) => (down ? { status: 503 } : answer(r)) });
  const slack = await startFakeSlack({ clockTs: true, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOTFAULT', botId: 'BBOTFAULT' } } });
  const discord = await startFakeDiscord({ guilds: [{ id: GUILD, channels: [{ id: DISCORD_CHANNEL, name: 'general' }] }] });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-faults-'));
  cleanups.push(
    () => vendor.close(),
    () => slack.close(),
    () => discord.close(),
    async () => rmSync(dataDir, { recursive: true, force: true }),
  );
  const port = await freePort();
  const env = {
    LOG_LEVEL: 'info',
    HIVE_DATA_DIR: dataDir,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    PORT: String(port),
    HIVE_HEALTH_PORT: String(await freePort()),
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: discord.apiUrl,
    OPENAI_BASE_URL: vendor.url,
  };
  const hive = await createHive(loadConfig(env, CHAT_ADAPTERS), { logSink: { write: () => undefined } });
  await hive.keys.register(`slack:${TEAM}`, 'openai', OPENAI_KEY, { verify: false });
  await hive.keys.register(`discord:${GUILD}`, 'openai', OPENAI_KEY, { verify: false });
  await hive.close();
  return { vendor, slack, discord, env, port, vendorDown: (d: boolean) => void (down = d) };
}

/** Sends `slack` signed slash commands and `discord` interactions tagged `q-<prefix>…`; every one must be acknowledged. */
async function burst(s: Awaited<ReturnType<typeof single>>, prefix: string, counts: { slack: number; discord: number }) {
  const slackTags = [...Array(counts.slack).keys()].map((n) => `q-${prefix}s${n}`);
  const acks = await Promise.all(
    slackTags.map((tag) =>
      postSigned(
        `http://127.0.0.1:${s.port}/slack/events`,
        slashBody({
          teamId: TEAM,
          channelId: CHANNEL,
          userId: 'U0FAULT',
          command: '/ask',
          text: `what is ${tag}?`,
          responseUrl: s.slack.responseUrl(`r-${tag}`),
          triggerId: `trig.${tag}`,
        }),
        { secret: SECRET, contentType: 'application/x-www-form-urlencoded' },
      ),
    ),
  );
  expect(acks.map((a) => a.status)).toEqual(acks.map(() => 200));
  const tokens = new Map<string, string>();
  for (let n = 0; n < counts.discord; n++) {
    const tag = `q-${prefix}d${n}`;
    const { token } = s.discord.interaction({
      guildId: GUILD,
      channelId: DISCORD_CHANNEL,
      userId: `30000000000000${String(200 + n).padStart(4, '0')}`,
      name: 'ask',
      options: [{ name: 'question', type: 3, value: `what is ${tag}?` }],
    });
    tokens.set(tag, token);
  }
  const outcomes = () => new Map([...slackOutcomes(s.slack.calls, slackTags), ...discordOutcomes(s.discord.requests, tokens)]);
  return { outcomes, done: () => [...outcomes().values()].filter((o) => o.answers + o.told > 0).length };
}

/** Waits until every job has an outcome, then checks each has exactly one (a duplicate would show itself in the 2 s after). */
async function expectOnceEach(s: Awaited<ReturnType<typeof single>>, outcomes: () => Map<string, JobOutcome>): Promise<void> {
  await until('every job answered or told', () => allSettled(outcomes()) || undefined, 150_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${unsettled(outcomes()).join('\n')}`);
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const wrong = unsettled(outcomes());
  expect(wrong, wrong.flatMap((w) => slackTrail(s.slack.calls, w.split(':')[0]!)).join('\n')).toEqual([]);
}

describe('one process on SQLite: faults lose no acknowledged job', () => {
  const procs: ClusterProcess[] = [];
  cleanups.push(() => Promise.all(procs.map((p) => stopProcess(p, 2_000))));

  it('GIVEN kill -9 mid-burst THEN the next start answers or tells every acknowledged job, once', { timeout: 240_000 }, async () => {
    const s = await single();
    const first = await startProcess('first', s.env);
    procs.push(first);
    const b = await burst(s, 'k', { slack: 60, discord: 20 });
    await until('a third of the answers', () => b.done() >= 26 || undefined, 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(b.done()).toBeLessThan(80);
    procs.push(await startProcess('second', s.env));
    await expectOnceEach(s, b.outcomes);
  });

  it('GIVEN another process holds the log store’s lock for 6 s mid-burst THEN every job is answered once', { timeout: 240_000 }, async () => {
    const s = await single();
    procs.push(await startProcess('locked', s.env));
    const b = await burst(s, 'l', { slack: 30, discord: 10 });
    await until('the first answers', () => b.done() >= 5 || undefined, 120_000);
    const other = new Database(path.join(s.env.HIVE_DATA_DIR, 'logs.sqlite'));
    other.exec('BEGIN EXCLUSIVE');
    const meanwhile = await burst(s, 'm', { slack: 10, discord: 0 });
    await new Promise((r) => setTimeout(r, 6_000));
    other.exec('COMMIT');
    other.close();
    await expectOnceEach(s, () => new Map([...b.outcomes(), ...meanwhile.outcomes()]));
    const answered = [...b.outcomes().values(), ...meanwhile.outcomes().values()].filter((o) => o.answers === 1).length;
    expect(answered).toBe(50);
  });

  it('GIVEN the vendor failing for 3 s mid-burst THEN every job is answered or told once', { timeout: 240_000 }, async () => {
    const s = await single();
    procs.push(await startProcess('vendor', s.env));
    const b = await burst(s, 'v', { slack: 30, discord: 10 });
    await until('the first answers', () => b.done() >= 5 || undefined, 120_000);
    s.vendorDown(true);
    await new Promise((r) => setTimeout(r, 3_000));
    s.vendorDown(false);
    await expectOnceEach(s, b.outcomes);
  });
});
