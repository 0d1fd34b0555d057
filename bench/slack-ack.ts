import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CHAT_ADAPTERS } from '../adapters/chat/registry.ts';
import { createSlackAdapter, type SlackConfig } from '../adapters/chat/slack/index.ts';
import { loadConfig } from '../src/app/config.ts';
import { createHive } from '../src/app/hive.ts';
import { startFakeVendor } from '../test/fakes/fake-vendor.ts';
import { startFakeSlack, type FakeSlack } from '../test/fakes/slack-api.ts';
import { slashBody } from '../test/fakes/slack-requests.ts';
import type { BenchResult } from './types.ts';
import { fakeSecret } from '../test/helpers/fake-secret.ts';

const CONCURRENCY = 200;
const WARM_UP_BURSTS = 3;
const MEASURED_BURSTS = 3;
const GOAL_P99_MS = 50;
const SLACK_DEADLINE_MS = 3000;
const VENDOR_LATENCY_MS = 50;
/** Commands are spread over workspaces, as Slack traffic is; one workspace alone would queue in its vendor lane. */
const WORKSPACES = 50;
/** Bound on waiting for a burst's answers, so the benchmark always ends. */
const ANSWER_WAIT_MS = 30_000;
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = fakeSecret('xoxb-', '9000-9000-benchbottokenzzzz');

/**
 * The load generator runs in a worker thread, as Slack runs on other machines: its HTTP client work
 * must not queue behind (or in front of) the adapter on one event loop. Plain JS over node:http.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { createHmac } = require('node:crypto');
function send(body) {
  return new Promise((resolve, reject) => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + ts + ':' + body).digest('hex');
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
    const t0 = performance.now();
    const req = http.request(workerData.url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
parentPort.on('message', (bodies) => Promise.all(bodies.map(send)).then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e) })));
`;

interface Sent {
  status: number;
  ms: number;
}

interface Burst {
  ms: number[];
  ok: number;
  wallMs: number;
  answeredMs: number | undefined;
}

/** Sends every body at once from the worker; resolves with each request's status and latency. */
function send(worker: Worker, bodies: string[]): Promise<Sent[]> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: Sent[] | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    worker.postMessage(bodies);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** One burst of signed `/ask` commands; waits (bounded) until every answer is posted. */
async function burst(worker: Worker, slack: FakeSlack, n: number): Promise<Burst> {
  const answers = () =>
    slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && String(c.body.text).includes('evidence')).length;
  const before = answers();
  const bodies = Array.from({ length: CONCURRENCY }, (_, i) =>
    slashBody({
      teamId: `TB${i % WORKSPACES}`,
      channelId: `C${i % 20}`,
      userId: `U${i}`,
      command: '/ask',
      text: `--cheap question ${n}.${i}`,
      responseUrl: slack.responseUrl(`b${n}.${i}`),
    }),
  );
  const t0 = performance.now();
  const sent = await send(worker, bodies);
  const wallMs = performance.now() - t0;
  const answered = await slack
    .waitFor(() => answers() - before >= CONCURRENCY, ANSWER_WAIT_MS)
    .then(
      () => true,
      () => false,
    );
  const ms = sent.map((s) => s.ms).sort((a, b) => a - b);
  return { ms, ok: sent.filter((s) => s.status === 200).length, wallMs, answeredMs: answered ? performance.now() - t0 : undefined };
}

/** Fake Slack, fake OpenAI (with latency), the real core and the adapter, all on loopback. */
async function startStack() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-bench-slack-'));
  const vendor = await startFakeVendor({ vendor: 'openai', respond: () => ({ text: '42', usage: { input: 10, output: 2 }, latencyMs: VENDOR_LATENCY_MS }) });
  const slack = await startFakeSlack({ workspaces: { [TOKEN]: { teamId: 'TB0', botUserId: 'UBOT', botId: 'BBOT' } } });
  const config = loadConfig(
    {
      PORT: '0',
      HIVE_DATA_DIR: dataDir,
      HIVE_STORE_URL: 'memory://',
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_BASE_URL: vendor.url,
    },
    CHAT_ADAPTERS,
  );
  const hive = await createHive(config, { logSink: { write: () => undefined } });
  for (let w = 0; w < WORKSPACES; w++)
    await hive.keys.register(`slack:TB${w}`, 'openai', `sk-bench-0123456789abcdefghij${String(w).padStart(4, '0')}`, { verify: false });
  const adapter = createSlackAdapter({ config: config.chat.slack as SlackConfig, host: hive.host, bindAddress: '127.0.0.1' });
  const { port } = await adapter.start();
  const close = async () => {
    await adapter.stop();
    await hive.close();
    await Promise.all([vendor.close(), slack.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}/slack/events`, slack, close };
}

/** The same client against a server that only answers 200: what the harness itself costs here. */
async function floor(): Promise<number[]> {
  const server = createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const worker = new Worker(CLIENT, { eval: true, workerData: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, secret: SECRET } });
  try {
    const bodies = Array.from({ length: CONCURRENCY }, (_, i) => `n=${i}`);
    for (let i = 0; i < WARM_UP_BURSTS; i++) await send(worker, bodies);
    return (await send(worker, bodies)).map((s) => s.ms).sort((a, b) => a - b);
  } finally {
    await worker.terminate();
    server.close();
  }
}

/**
 * Ack latency of 200 concurrent signed `/ask` commands (over 50 workspaces) against a running adapter
 * (the ack must not wait for the job): warm-up bursts first, then measured bursts, next to the floor.
 */
export async function benchSlackAck(): Promise<BenchResult> {
  const stack = await startStack();
  const worker = new Worker(CLIENT, { eval: true, workerData: { url: stack.url, secret: SECRET } });
  const measured: Burst[] = [];
  try {
    for (let i = 0; i < WARM_UP_BURSTS; i++) await burst(worker, stack.slack, -1 - i);
    for (let i = 0; i < MEASURED_BURSTS; i++) measured.push(await burst(worker, stack.slack, i));
  } finally {
    await worker.terminate();
    await stack.close();
  }
  return report(measured, await floor());
}

function report(bursts: Burst[], floorMs: number[]): BenchResult {
  const row = (measure: string, ms: number[], ok: number, answers: string) => ({
    measure,
    requests: ms.length,
    'status 200': ok,
    'p50 ms': round(percentile(ms, 50)),
    'p90 ms': round(percentile(ms, 90)),
    'p99 ms': round(percentile(ms, 99)),
    'max ms': round(ms.at(-1)!),
    answers,
  });
  const rows = bursts.map((b, i) =>
    row(`adapter ack, burst ${i + 1}`, b.ms, b.ok, b.answeredMs === undefined ? 'not all' : `all in ${round(b.answeredMs)} ms`),
  );
  rows.push(row('floor: bare HTTP 200, same client', floorMs, floorMs.length, '—'));
  const p99s = bursts.map((b) => percentile(b.ms, 99)).sort((a, b) => a - b);
  const median = p99s[Math.floor(p99s.length / 2)]!;
  const worstMax = Math.max(...bursts.map((b) => b.ms.at(-1)!));
  const allOk = bursts.every((b) => b.ok === CONCURRENCY && b.answeredMs !== undefined);
  return {
    name: 'slack-ack',
    rows,
    verdicts: [
      `goal: ack p99 ≤ ${GOAL_P99_MS} ms at ${CONCURRENCY} concurrent — ${median <= GOAL_P99_MS ? 'met' : 'missed'} (median p99 of ${bursts.length} bursts ${round(median)} ms; the bare-HTTP floor of this client on this machine is p99 ${round(percentile(floorMs, 99))} ms)`,
      `Slack deadline: every ack within ${SLACK_DEADLINE_MS / 1000} s — ${worstMax < SLACK_DEADLINE_MS && allOk ? 'met' : 'missed'} (slowest ack ${round(worstMax)} ms; every answer posted: ${allOk ? 'yes' : 'no'})`,
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSlackAck().then(
    (r) => {
      console.table(r.rows);
      for (const v of r.verdicts) console.log(v);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
