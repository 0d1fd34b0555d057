import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../test/fakes/slack-api.ts';
import { postSigned, slashBody } from '../test/fakes/slack-requests.ts';
import { fakeSecret } from '../test/helpers/fake-secret.ts';
import { freePort } from '../test/slack/harness.ts';
import { createClusterStores, startProcess, stopProcess, type ClusterProcess, type ClusterStores } from '../test/scale/cluster.ts';
import type { FakeProcessSpec } from './fake-vendor-process.ts';
import { startFakeVendorProcess, type FakeVendorProcess } from './processes.ts';

/** Where the bench finds Redis and PostgreSQL, as the scale-out suite does. */
export const REDIS_URL = process.env.HIVE_TEST_REDIS_URL;
export const POSTGRES_URL = process.env.HIVE_TEST_POSTGRES_URL;
/** Redis databases 4 (keyed values) and 5 (the queue); the tests use 6–13. */
const REDIS_DB = 4;
const SECRET = 'hive-bench-scale-signing-secret-5c03';
const BOT_TOKEN = fakeSecret('xoxb-', '3100-4100-benchscaleouttoken');
const OPENAI_KEY = fakeSecret('sk-', 'bench-scale-openai-0123456789abcdef');
export const TEAM = 'T0BENCHSC';

/** The clock both sides read: the fake Slack stamps calls with it, the bench stamps posts. */
export const now = (): number => performance.timeOrigin + performance.now();

/** The workspace's known OpenAI limits, as an admin sets them (high everywhere but where the bench means to bind). */
export interface KnownLimits {
  rpm: number;
  periodMs: number;
  concurrency: number;
}

/** One cluster's shared parts: stores, the fake vendor (own process) and the fake Slack (this process). */
export interface Stack {
  stores: ClusterStores;
  vendor: FakeVendorProcess;
  slack: FakeSlack;
  procs: ClusterProcess[];
  /** Starts a Hive process on the stack: `serve` (intake, with its Slack port), `worker`, or `all` without a queue. */
  start(name: string, role: 'serve' | 'worker' | 'all', env?: Record<string, string>): Promise<ClusterProcess & { port: number }>;
  stop(p: ClusterProcess): Promise<void>;
  close(): Promise<void>;
}

/** Fresh stores, a fake OpenAI process per `spec`, a fake Slack, and the team's key and known limits seeded. */
export async function startStack(spec: FakeProcessSpec, limits: KnownLimits): Promise<Stack> {
  const vendor = await startFakeVendorProcess(spec);
  const slack = await startFakeSlack({ now, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOTBENCH', botId: 'BBOTBENCH' } } });
  const stores = await createClusterStores({
    redisUrl: REDIS_URL!,
    postgresUrl: POSTGRES_URL!,
    db: REDIS_DB,
    env: { LOG_LEVEL: 'info', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.apiUrl, OPENAI_BASE_URL: vendor.url },
  });
  await seed(stores, limits);
  const procs: ClusterProcess[] = [];
  const stack: Stack = {
    stores,
    vendor,
    slack,
    procs,
    async start(name, role, env = {}) {
      const port = role === 'worker' ? 0 : await freePort();
      const base: Record<string, string> = { ...stores.env, HIVE_ROLE: role, PORT: String(port), HIVE_HEALTH_PORT: String(await freePort()), ...env };
      if (role === 'all') delete base.HIVE_QUEUE_URL; // one process on its own, as before scale-out
      const p = await startProcess(name, base);
      procs.push(p);
      return { ...p, port };
    },
    async stop(p) {
      await stopProcess(p, 5_000);
      procs.splice(
        procs.findIndex((x) => x.child === p.child),
        1,
      );
    },
    async close() {
      await Promise.all(procs.map((p) => stopProcess(p, 5_000)));
      await Promise.all([vendor.close(), slack.close()]);
      await stores.drop();
    },
  };
  return stack;
}

/** The team's OpenAI key and its known limits (token limits out of the way). */
async function seed(stores: ClusterStores, limits: KnownLimits): Promise<void> {
  const hive = await stores.openHive();
  try {
    await hive.keys.register(`slack:${TEAM}`, 'openai', OPENAI_KEY, { verify: false });
    await hive.ctx.settings.update(`slack:${TEAM}`, (s) => void (s.vendorLimits = { openai: { ...limits, tpm: 1e12, itpm: 1e12, otpm: 1e12 } }));
  } finally {
    await hive.close();
  }
}

/** Sends one signed `/ask` to an intake's Slack endpoint, in channel `C<id>` (one channel per job, so answers are told apart). */
export async function ask(slack: FakeSlack, port: number, id: string): Promise<void> {
  const body = slashBody({
    teamId: TEAM,
    channelId: `C${id}`,
    userId: 'U0BENCH',
    command: '/ask',
    text: `what is the answer to question ${id}?`,
    responseUrl: slack.responseUrl(id),
    triggerId: `trig.${id}`,
  });
  const res = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, { secret: SECRET, contentType: 'application/x-www-form-urlencoded' });
  if (res.status !== 200) throw new Error(`slash command ${id} answered ${res.status}: ${res.text}`);
}

/** Final answers from now on (a post or an edit carrying the evidence footer) by channel, with when the first arrived; read incrementally. */
export function finalAnswers(slack: FakeSlack): { at: Map<string, number>; refresh(): Map<string, number> } {
  const at = new Map<string, number>();
  let seen = slack.calls.length;
  const isFinal = (c: FakeSlackCall) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && JSON.stringify(c.body).includes('evidence ');
  return {
    at,
    refresh() {
      for (; seen < slack.calls.length; seen++) {
        const c = slack.calls[seen]!;
        const ch = String(c.body.channel);
        if (isFinal(c) && !at.has(ch)) at.set(ch, c.at);
      }
      return at;
    },
  };
}

/** The fake vendor's counters, with the 429s it sent (bench/fake-vendor-process.ts prints them; processes.ts types the rest). */
export async function vendorStats(v: FakeVendorProcess): Promise<VendorStats> {
  return (await v.stats()) as VendorStats;
}

export type VendorStats = Awaited<ReturnType<FakeVendorProcess['stats']>> & { rateLimited: { total: number; afterFirstAnswer: number } };

/** The `queuedMs` of every "job done" line a worker logged. */
export function queuedMs(p: ClusterProcess): number[] {
  const out: number[] = [];
  for (const line of p.output.join('').split('\n')) {
    if (!line.includes('"job done"')) continue;
    const v = (JSON.parse(line) as { queuedMs?: unknown }).queuedMs;
    if (typeof v === 'number') out.push(v);
  }
  return out;
}
