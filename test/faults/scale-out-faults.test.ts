import { afterAll, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeBehaviour, type FakeRequest } from '../fakes/fake-vendor.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import { postSigned, slashBody } from '../fakes/slack-requests.ts';
import { startTcpProxy, targetOf, type TcpProxy } from '../fakes/tcp-proxy.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { until } from '../helpers/until.ts';
import { freePort } from '../slack/harness.ts';
import { postgresAdminUrl } from '../store/log-backends.ts';
import { createClusterStores, startProcess, stopProcess, type ClusterProcess } from '../scale/cluster.ts';
import { allSettled, slackOutcomes, slackTrail, unsettled } from './job-outcomes.ts';

const redisUrl = process.env.HIVE_TEST_REDIS_URL;
if ((!redisUrl || !postgresAdminUrl) && process.env.CI) throw new Error('CI must provide HIVE_TEST_REDIS_URL and HIVE_TEST_POSTGRES_URL for the fault matrix');

const SECRET = 'hive-faults-scale-signing-secret-0b7e';
const BOT_TOKEN = fakeSecret('xoxb-', '7000-8000-faultscalebottoken');
const OPENAI_KEY = fakeSecret('sk-', 'faultscale-openai-0123456789abcdefghij');
const TEAM = 'T0FSCALE';
const BURST = 30;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** The vendor answers each question by name, slowly enough that a burst is in flight when the fault lands; `down` makes it fail. */
function vendorScript() {
  const state = { down: false };
  const respond = (r: FakeRequest): FakeBehaviour =>
    state.down ? { status: 503 } : { text: `Answer for ${/q-\w+/.exec(r.lastUserText)?.[0] ?? 'something'}.`, usage: { input: 30, output: 6 }, latencyMs: 400 };
  return { state, respond };
}

describe.skipIf(!redisUrl || !postgresAdminUrl)('fault matrix at scale-out: 1 intake and 2 workers on Redis and PostgreSQL', () => {
  it(
    'GIVEN PostgreSQL, then Redis, then the vendor down for a few seconds mid-burst THEN every job is answered once or told once',
    { timeout: 420_000 },
    async () => {
      const script = vendorScript();
      const vendor = await startFakeVendor({ vendor: 'openai', validKeys: [OPENAI_KEY], respond: script.respond });
      const slack = await startFakeSlack({ clockTs: true, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOTFS', botId: 'BBOTFS' } } });
      cleanups.push(
        () => vendor.close(),
        () => slack.close(),
      );
      const stores = await createClusterStores({
        redisUrl: redisUrl!,
        postgresUrl: postgresAdminUrl!,
        db: 10,
        env: {
          LOG_LEVEL: 'info',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_API_URL: slack.apiUrl,
          OPENAI_BASE_URL: vendor.url,
          HIVE_JOB_LOCK_MS: '8000',
        },
      });
      cleanups.push(() => stores.drop());
      const seed = await stores.openHive();
      await seed.keys.register(`slack:${TEAM}`, 'openai', OPENAI_KEY, { verify: false });
      await seed.close();
      const pg: TcpProxy = await startTcpProxy(targetOf(stores.env.HIVE_DATABASE_URL!));
      const redis: TcpProxy = await startTcpProxy(targetOf(stores.env.HIVE_QUEUE_URL!));
      cleanups.push(
        () => pg.close(),
        () => redis.close(),
      );
      const env = {
        ...stores.env,
        HIVE_DATABASE_URL: pg.via(stores.env.HIVE_DATABASE_URL!),
        HIVE_STORE_URL: redis.via(stores.env.HIVE_STORE_URL!),
        HIVE_QUEUE_URL: redis.via(stores.env.HIVE_QUEUE_URL!),
      };
      const procs: ClusterProcess[] = [];
      cleanups.push(() => Promise.all(procs.map((p) => stopProcess(p, 2_000))));
      const port = await freePort();
      const start = async (name: string, extra: Record<string, string>) => {
        const p = await startProcess(name, { ...env, HIVE_HEALTH_PORT: String(await freePort()), ...extra });
        procs.push(p);
        return p;
      };
      await Promise.all([
        start('intake', { HIVE_ROLE: 'serve', PORT: String(port) }),
        start('worker-1', { HIVE_ROLE: 'worker', PORT: '0' }),
        start('worker-2', { HIVE_ROLE: 'worker', PORT: '0' }),
      ]);

      const burst = burstSender(slack, port);
      const logs = () => procs.map((p) => p.output.join('')).join('\n');
      const faults: [string, { down(): void; up(): void }][] = [
        ['postgres', pg],
        ['redis', redis],
        ['vendor', { down: () => (script.state.down = true), up: () => (script.state.down = false) }],
      ];
      for (const [name, fault] of faults) {
        const tags = await burst.during(name, fault);
        const outcomes = () => slackOutcomes(slack.calls, tags);
        await until(`every ${name} job answered or told`, () => allSettled(outcomes()) || undefined, 180_000).catch((err: unknown) => {
          const wrong = unsettled(outcomes());
          const trails = wrong.slice(0, 3).flatMap((w) => slackTrail(slack.calls, w.split(':')[0]!));
          throw new Error(`${String(err)}\n${wrong.join('\n')}\n${trails.join('\n')}\n${logs().slice(-3000)}`);
        });
        await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would show itself now
        const wrong = unsettled(outcomes());
        expect(wrong, wrong.flatMap((w) => slackTrail(slack.calls, w.split(':')[0]!)).join('\n')).toEqual([]);
      }
      for (const p of procs) expect(await stopProcess(p)).toBe(0);
      expect(logs()).not.toContain(OPENAI_KEY);
    },
  );
});

/**
 * Sends bursts of signed slash commands: two thirds before the fault (in flight when it lands), the
 * rest while it lasts (3 s); every one must be acknowledged while the dependency is still away.
 */
function burstSender(slack: FakeSlack, port: number) {
  let sent = 0;
  const send = async (tag: string) => {
    const n = sent++;
    const body = slashBody({
      teamId: TEAM,
      channelId: `C0FS${n % 4}`,
      userId: 'U0FAULTS',
      command: '/ask',
      text: `what is ${tag}?`,
      responseUrl: slack.responseUrl(`r-${tag}`),
      triggerId: `trig.fs.${n}`,
    });
    return postSigned(`http://127.0.0.1:${port}/slack/events`, body, { secret: SECRET, contentType: 'application/x-www-form-urlencoded' });
  };
  return {
    async during(name: string, fault: { down(): void; up(): void }): Promise<string[]> {
      const tags = [...Array(BURST).keys()].map((i) => `q-${name}${i}`);
      const before = tags.slice(0, (BURST * 2) / 3);
      const meanwhile = tags.slice(before.length);
      const first = await Promise.all(before.map(send));
      await new Promise((r) => setTimeout(r, 300));
      fault.down();
      // Acknowledged while the dependency is still away: an ack that waited for it would never come,
      // since it only comes back after these.
      const acks = await Promise.all(meanwhile.map(send));
      await new Promise((r) => setTimeout(r, 3_000));
      fault.up();
      expect([...first, ...acks].map((a) => a.status)).toEqual(tags.map(() => 200));
      return tags;
    },
  };
}
