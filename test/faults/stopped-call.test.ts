import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive } from '../../src/app/hive.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { startFakeVendor, type FakeRequest } from '../fakes/fake-vendor.ts';
import { startFakeSlack } from '../fakes/slack-api.ts';
import { postSigned, slashBody } from '../fakes/slack-requests.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { until } from '../helpers/until.ts';
import { freePort } from '../slack/harness.ts';
import { startProcess, stopProcess, type ClusterProcess } from '../scale/cluster.ts';

const SECRET = 'hive-stopped-call-signing-secret';
const BOT_TOKEN = fakeSecret('xoxb-', '5100-6100-stoppedcallbot');
const OPENAI_KEY = fakeSecret('sk-', 'stopped-call-openai-0123456789abcd');
const TEAM = 'T0STOP01';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** gpt-6-luna at $0.10/$0.50 per million tokens, in nano-dollars per token. */
const RATE = { input: 100, output: 500 };

/** The worst case of the request the vendor received: every prompt byte a token (8 more a turn), all of max_tokens. */
function worstNano(body: unknown): number {
  const b = body as { messages: { role: string; content: string }[]; max_completion_tokens: number };
  const prompt = b.messages.reduce((n, m) => n + Buffer.byteLength(m.content) + (m.role === 'system' ? 0 : 8), 0);
  return prompt * RATE.input + b.max_completion_tokens * RATE.output;
}

/** One process on its own with Slack and SQLite: the first call is served but never answered (it is still running when the process dies). */
async function install() {
  const generate = (r: FakeRequest) => r.model !== '';
  let served = 0;
  const vendor = await startFakeVendor({
    vendor: 'openai',
    validKeys: [OPENAI_KEY],
    respond: (r) => (generate(r) && served++ === 0 ? { hang: true } : { text: 'Answer for q-stop.', usage: { input: 30, output: 6 } }),
  });
  const slack = await startFakeSlack({ clockTs: true, workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOTSTOP', botId: 'BBOTSTOP' } } });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-stopped-'));
  cleanups.push(
    () => vendor.close(),
    () => slack.close(),
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
    OPENAI_BASE_URL: vendor.url,
  };
  const hive = await createHive(loadConfig(env, CHAT_ADAPTERS), { logSink: { write: () => undefined } });
  await hive.keys.register(`slack:${TEAM}`, 'openai', OPENAI_KEY, { verify: false });
  await hive.close();
  const slash = (command: string, text: string, tag: string) =>
    postSigned(
      `http://127.0.0.1:${port}/slack/events`,
      slashBody({ teamId: TEAM, channelId: 'C0STOP01', userId: 'U0STOP', command, text, responseUrl: slack.responseUrl(tag), triggerId: `trig.${tag}` }),
      { secret: SECRET, contentType: 'application/x-www-form-urlencoded' },
    );
  const said = (pattern: RegExp) => slack.calls.map((c) => JSON.stringify(c.body ?? {})).find((t) => pattern.test(t));
  return { vendor, env, dataDir, slash, said, generated: () => vendor.requests.filter(generate) };
}

describe('a call in flight when its process is killed', () => {
  const procs: ClusterProcess[] = [];
  cleanups.push(() => Promise.all(procs.map((p) => stopProcess(p, 2_000))));

  it(
    'GIVEN kill -9 while the vendor serves a call THEN the next start books it at its worst case and /hive usage shows it as estimated',
    { timeout: 240_000 },
    async () => {
      const s = await install();
      const first = await startProcess('first', s.env);
      procs.push(first);
      expect((await s.slash('/ask', '--model openai:gpt-6-luna what is q-stop?', 'r-ask')).status).toBe(200);
      await until('the vendor serving the call', () => s.generated().length >= 1 || undefined, 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const worst = worstNano(s.generated()[0]!.body);

      const second = await startProcess('second', s.env);
      procs.push(second);
      await until('the job answered by the next start', () => s.said(/Answer for q-stop/) ?? undefined, 60_000);
      expect(s.generated()).toHaveLength(2);
      const answer = 30 * RATE.input + 6 * RATE.output;

      expect((await s.slash('/hive', 'usage day', 'r-usage')).status).toBe(200);
      const usage = await until('the usage reply', () => s.said(/Usage \d{4}-\d\d-\d\d/), 30_000);
      expect(usage).toContain(`${formatUsd((worst + answer) / 1e9)} · 2 calls (1 call estimated: the process running it stopped)`);

      const db = new Database(path.join(s.dataDir, 'logs.sqlite'), { readonly: true });
      try {
        const rows = db.prepare('select cost_nano, estimated, stopped from ledger order by id').all();
        expect(rows).toEqual([
          { cost_nano: worst, estimated: 1, stopped: 1 },
          { cost_nano: answer, estimated: 0, stopped: 0 },
        ]);
        expect(db.prepare('select count(*) as n from call_starts').get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    },
  );
});
