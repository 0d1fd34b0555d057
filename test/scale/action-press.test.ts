import { afterAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/chat/answer-actions.ts';
import { startFakeVendor, type FakeRequest } from '../fakes/fake-vendor.ts';
import { startFakeSlack, type FakeSlackCall } from '../fakes/slack-api.ts';
import { blockActionsPayload, buttonValues } from '../fakes/slack-actions.ts';
import { interactionBody, postSigned, slashBody } from '../fakes/slack-requests.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { until } from '../helpers/until.ts';
import { freePort } from '../slack/harness.ts';
import { postgresAdminUrl } from '../store/log-backends.ts';
import { createClusterStores, startProcess, stopProcess, type ClusterProcess } from './cluster.ts';

const redisUrl = process.env.HIVE_TEST_REDIS_URL;
if ((!redisUrl || !postgresAdminUrl) && process.env.CI)
  throw new Error('CI must provide HIVE_TEST_REDIS_URL and HIVE_TEST_POSTGRES_URL for the scale-out suite');

const SECRET = 'hive-press-signing-secret-5c02';
const BOT_TOKEN = fakeSecret('xoxb-', '3000-4000-presstestbottoken');
const OPENAI_KEY = fakeSecret('sk-', 'press-openai-0123456789abcdefghij');
const TEAM = 'T0PRESS1';
const CHANNEL = 'C0PRESS1';
/** The deep lane's OpenAI model: its calls wait at the gate until the worker holding them is gone. */
const DEEP_MODEL = 'gpt-6.2-astra';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const callText = (c: FakeSlackCall) => JSON.stringify(c.body);

describe.skipIf(!redisUrl || !postgresAdminUrl)('scale-out: an answer action pressed while the worker holding it dies', () => {
  it(
    'GIVEN Re-run deeper pressed twice and its worker killed mid-call THEN another worker answers it once, and the second press is told it was done',
    { timeout: 240_000 },
    async () => {
      let openGate: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      const respond = async (r: FakeRequest) => {
        if (String(r.model).startsWith(DEEP_MODEL)) await gate;
        return { text: `Answer by ${String(r.model)} for q-press.`, usage: { input: 30, output: 6 } };
      };
      const openai = await startFakeVendor({ vendor: 'openai', validKeys: [OPENAI_KEY], respond });
      const slack = await startFakeSlack({ clockTs: true, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOTPRESS', botId: 'BBOTPRESS' } } });
      cleanups.push(
        () => openai.close(),
        () => slack.close(),
      );
      const stores = await createClusterStores({
        redisUrl: redisUrl!,
        postgresUrl: postgresAdminUrl!,
        db: 14,
        env: {
          LOG_LEVEL: 'info',
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_API_URL: slack.apiUrl,
          OPENAI_BASE_URL: openai.url,
          HIVE_JOB_LOCK_MS: '4000',
        },
      });
      cleanups.push(() => stores.drop());
      const seed = await stores.openHive();
      await seed.keys.register(`slack:${TEAM}`, 'openai', OPENAI_KEY, { verify: false });
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
      const holder = await start('worker-1', { HIVE_ROLE: 'worker', PORT: '0' });
      const events = `http://127.0.0.1:${port}/slack/events`;
      const post = (body: string, contentType: 'application/x-www-form-urlencoded') => postSigned(events, body, { secret: SECRET, contentType });

      // A cheap answer, with its buttons.
      const slash = slashBody({
        teamId: TEAM,
        channelId: CHANNEL,
        userId: 'U0ASKER',
        command: '/ask',
        text: '--cheap what is q-press?',
        responseUrl: slack.responseUrl('ask'),
        triggerId: 'trig.ask',
      });
      expect((await post(slash, 'application/x-www-form-urlencoded')).status).toBe(200);
      const buttons = await until('the answer with its buttons', () => answerButtons(slack.calls), 60_000);
      const deeper = buttons.find((b) => decodeAction(b.value)?.kind === 'deeper')!;
      expect(deeper).toBeDefined();

      // Re-run deeper, pressed by two people; the first press reaches a worker that then dies mid-call.
      const press = (userId: string, trigger: string) =>
        post(
          interactionBody(
            blockActionsPayload({
              teamId: TEAM,
              userId,
              channelId: CHANNEL,
              messageTs: buttons.ts,
              ...(buttons.threadTs ? { threadTs: buttons.threadTs } : {}),
              actionId: deeper.actionId,
              value: deeper.value,
              triggerId: trigger,
              responseUrl: slack.responseUrl(trigger),
            }),
          ),
          'application/x-www-form-urlencoded',
        );
      expect((await press('U0PRESSER', 'trig.press.1')).status).toBe(200);
      await until('the deep call in flight', () => openai.requests.some((r) => String(r.model).startsWith(DEEP_MODEL)) || undefined, 60_000);
      const rescuer = await start('worker-2', { HIVE_ROLE: 'worker', PORT: '0' });
      holder.child.kill('SIGKILL');
      await holder.exited;
      openGate();
      expect((await press('U0SECOND', 'trig.press.2')).status).toBe(200);

      const deepAnswers = () => slack.calls.filter((c) => isFinal(c) && callText(c).includes(`Answer by ${DEEP_MODEL}`));
      await until('the re-run answered', () => deepAnswers().length > 0 || undefined, 120_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${rescuer.output.join('').slice(-4000)}`);
      });
      await until('the second press refused', () => slack.calls.some((c) => /already re-run deeper/.test(callText(c))) || undefined, 60_000);
      await new Promise((r) => setTimeout(r, 3_000)); // any duplicate shows itself by now
      expect(new Set(deepAnswers().map(messageOf)).size).toBe(1);
      expect(rescuer.output.join('')).toContain('resuming a job another run left unfinished');
    },
  );
});

/** A message that carries an answer's footer: posted, edited, or a stream's end. */
function isFinal(c: FakeSlackCall): boolean {
  return ['chat.postMessage', 'chat.update', 'chat.stopStream'].includes(c.method) && callText(c).includes('evidence ');
}

/** The message a final call wrote (an edit or a stream's end names it; a post is its own). */
function messageOf(c: FakeSlackCall): string {
  return String(c.body.ts ?? c.result?.ts ?? JSON.stringify(c.body).slice(0, 80));
}

/** The first answer's buttons, with the message they are on. */
function answerButtons(calls: FakeSlackCall[]): ({ actionId: string; value: string }[] & { ts: string; threadTs?: string }) | undefined {
  for (const c of calls) {
    if (!isFinal(c)) continue;
    const values = buttonValues(c.body.blocks);
    if (values.length === 0) continue;
    const ts = String(c.body.ts ?? c.result?.ts);
    const threadTs = typeof c.body.thread_ts === 'string' ? c.body.thread_ts : undefined;
    return Object.assign(values, { ts, ...(threadTs ? { threadTs } : {}) });
  }
  return undefined;
}
