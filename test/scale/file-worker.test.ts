import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { JOB_QUEUE_NAME } from '../../adapters/queue/bullmq-queue.ts';
import { sha256 } from '../e2e/file-helpers.ts';
import { startFakeVendor } from '../fakes/fake-vendor.ts';
import { startFakeSlack } from '../fakes/slack-api.ts';
import { postSigned, slashBody } from '../fakes/slack-requests.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { until } from '../helpers/until.ts';
import { chartAndSpec, evidenceIds, expectBookedAsReported, modelCallsOf } from '../slack/file-acceptance.ts';
import { freePort } from '../slack/harness.ts';
import { postgresAdminUrl } from '../store/log-backends.ts';
import { createClusterStores, startProcess, stopProcess, type ClusterProcess } from './cluster.ts';

/** Redis and PostgreSQL run in CI (.ci/run starts both); locally the suite needs HIVE_TEST_REDIS_URL and HIVE_TEST_POSTGRES_URL. */
const redisUrl = process.env.HIVE_TEST_REDIS_URL;
if ((!redisUrl || !postgresAdminUrl) && process.env.CI)
  throw new Error('CI must provide HIVE_TEST_REDIS_URL and HIVE_TEST_POSTGRES_URL for the scale-out suite');

const SECRET = 'hive-files-signing-secret-81d3';
const BOT_TOKEN = fakeSecret('xoxb-', '3000-4000-fileworkerbottoken');
const ANTHROPIC_KEY = fakeSecret('sk-ant-', 'scale-files-0123456789abcdefgh');
const TEAM = 'T0FILES1';
const CHANNEL = 'C0FILES1';
const ASKER = 'U0FILES1';
const MARKER = 'queued-files-5e0b';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Every piece of text Hive sent to the fake Slack. */
function said(calls: { method: string; body: unknown }[]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const c of calls) if (!c.method.startsWith('files.')) walk(c.body);
  return out.join('\n');
}

describe.skipIf(!redisUrl || !postgresAdminUrl)('scale-out: a job with files answered by a worker', () => {
  it(
    'GIVEN /ask after sharing a PNG and a 3-page PDF THEN intake queues the job on Redis reading nothing, and a worker reads both from Slack and answers',
    { timeout: 240_000 },
    async () => {
      const { png, pdf } = await chartAndSpec(MARKER);
      const anthropic = await startFakeVendor({ vendor: 'anthropic', validKeys: [ANTHROPIC_KEY], respond: () => ({ text: 'A chart and a spec.' }) });
      const slack = await startFakeSlack({
        workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOTFILES', botId: 'BBOTFILES' } },
        files: [
          { id: 'F0CHART', name: 'chart.png', mimetype: 'image/png', content: png, channel: CHANNEL, user: ASKER },
          { id: 'F0SPEC', name: 'spec.pdf', mimetype: 'application/pdf', content: pdf, channel: CHANNEL, user: ASKER },
        ],
      });
      cleanups.push(
        () => anthropic.close(),
        () => slack.close(),
      );
      const stores = await createClusterStores({
        redisUrl: redisUrl!,
        postgresUrl: postgresAdminUrl!,
        db: 8,
        env: {
          LOG_LEVEL: 'info',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_API_URL: slack.apiUrl,
          SLACK_FILES_URL: slack.origin,
          ANTHROPIC_BASE_URL: anthropic.url,
        },
      });
      cleanups.push(() => stores.drop());
      const seed = await stores.openHive();
      await seed.keys.register(`slack:${TEAM}`, 'anthropic', ANTHROPIC_KEY, { verify: false });
      await seed.close();
      const procs: ClusterProcess[] = [];
      cleanups.push(() => Promise.all(procs.map((p) => stopProcess(p, 2_000))));
      const start = async (name: string, env: Record<string, string>) => {
        const p = await startProcess(name, { ...stores.env, HIVE_HEALTH_PORT: String(await freePort()), ...env });
        procs.push(p);
        return p;
      };
      const port = await freePort();
      await start('intake', { HIVE_ROLE: 'serve', PORT: String(port) });

      // Intake: the command is acked, its files found with files.list, and the job queued; nothing is downloaded.
      const body = slashBody({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: ASKER,
        command: '/ask',
        text: '--model anthropic:claude-sonnet-5-5 what do these show?',
        responseUrl: slack.responseUrl('files'),
        triggerId: 'trig.files',
      });
      const ack = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, { secret: SECRET, contentType: 'application/x-www-form-urlencoded' });
      expect(ack.status).toBe(200);
      const queued = await waitingJobs(stores.env.HIVE_QUEUE_URL!);
      expect(slack.of('files.list')).toHaveLength(1);
      expect([slack.of('files.info'), slack.files.downloads, anthropic.requests]).toEqual([[], [], []]);
      // Sealed on Redis: neither the files' names nor their bytes are readable there.
      for (const needle of ['spec.pdf', 'chart.png', MARKER]) expect(queued).not.toContain(needle);

      // The worker resumes it: files.info and the downloads with the bot token, then the model, then the answer.
      const worker = await start('worker', { HIVE_ROLE: 'worker', PORT: '0' });
      const evidence = await until('the worker’s answer', () => evidenceIds(said(slack.calls))[0], 120_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${worker.output.join('').slice(-4000)}`);
      });
      expect(said(slack.calls)).toContain('2 files, 3 pages');
      expect(slack.files.downloads.map((d) => [d.fileId, d.token, d.authorized]).sort()).toEqual([
        ['F0CHART', BOT_TOKEN, true],
        ['F0SPEC', BOT_TOKEN, true],
      ]);
      const [call, ...more] = modelCallsOf(anthropic);
      expect(more).toEqual([]);
      expect(call!.files.map((f) => [f.kind, f.sha256])).toEqual([
        ['image', sha256(png)],
        ['pdf', sha256(pdf)],
      ]);
      const books = await stores.openHive();
      try {
        await expectBookedAsReported(books, 'anthropic', call!, evidence);
      } finally {
        await books.close();
      }
      for (const p of procs) expect(await stopProcess(p)).toBe(0);
      expect(procs.map((p) => p.output.join('')).join('\n')).not.toContain(MARKER);
    },
  );
});

/** The jobs waiting on the real queue (BullMQ on Redis), as stored, once there is one. */
async function waitingJobs(queueUrl: string): Promise<string> {
  const connection = new Redis(queueUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(JOB_QUEUE_NAME, { connection });
  try {
    const jobs = await until('the job on the queue', async () => {
      const waiting = await queue.getJobs(['waiting']);
      return waiting.length > 0 ? waiting : undefined;
    });
    expect(jobs).toHaveLength(1);
    return JSON.stringify(jobs.map((j) => ({ name: j.name, data: j.data as unknown })));
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
