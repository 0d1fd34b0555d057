import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { loadConfig } from '../src/app/config.ts';
import { createHive, type Hive } from '../src/app/hive.ts';
import { mapRequest } from '../src/digest/digest-prompt.ts';
import { sumUsage, totalCost } from '../src/money/usage-math.ts';
import { fakeSecret } from '../test/helpers/fake-secret.ts';
import { startFakeVendorProcess, type FakeVendorProcess } from './processes.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const MESSAGES = 10_000;
const ROUNDS = 3;
/**
 * The fake model's time: 150 ms a call plus 20 ms per 1,000 input tokens (a 200k-token call takes
 * about 4 s); each key advertises 5,000 requests and 2M input tokens a minute, so the lanes learn
 * room for several digests a minute and the figure is Hive's, not a tier-1 key's.
 */
const FAKE = { latencyMs: 150, digestMsPerKiloToken: 20, rateLimit: { requests: 5_000, inputTokens: 2_000_000, outputTokens: 400_000, windowMs: 60_000 } };
const KEYS = { openai: 'sk-bench-0123456789abcdefghijklmn', anthropic: fakeSecret('sk-ant-', 'bench-0123456789abcdefghij') };
const WS = 'local';
const CH = 'C-bench';

/**
 * A 10,000-message day: Hive's map-reduce digest (chunks of about 6,000 tokens over two vendors'
 * lanes, then one merge) against one call carrying the whole day, on fake vendors in their own
 * processes whose time grows with the input; rounds interleaved.
 */
export async function benchDigestDay(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-digest-'));
  const fakes: FakeVendorProcess[] = [];
  try {
    const openai = await startFakeVendorProcess({ vendor: 'openai', ...FAKE });
    const anthropic = await startFakeVendorProcess({ vendor: 'anthropic', ...FAKE });
    fakes.push(openai, anthropic);
    const env = { HIVE_STORE_URL: 'memory://', HIVE_DATA_DIR: dir, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' };
    const hive = await createHive(loadConfig({ ...env, OPENAI_BASE_URL: openai.url, ANTHROPIC_BASE_URL: anthropic.url }), {
      logSink: { write: () => undefined },
    });
    try {
      await hive.keys.register(WS, 'openai', KEYS.openai, { verify: false });
      await hive.keys.register(WS, 'anthropic', KEYS.anthropic, { verify: false });
      const day = await captureDay(hive);
      const rows: BenchResult['rows'] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const digest = await digestOnce(hive, day);
        const one = await oneCall(openai.url, day);
        rows.push({ round, ...digest, ...one, 'map-reduce ÷ one call': (Number(digest['digest ms']) / Number(one['one call ms'])).toFixed(2) });
      }
      const ratio = median(rows.map((r) => Number(r['map-reduce ÷ one call'])));
      return {
        name: `digest: a ${MESSAGES.toLocaleString('en-US')}-message day, map-reduce vs one call with the whole day (fakes in their own processes, 150 ms + 20 ms per 1k input tokens)`,
        rows,
        verdicts: [
          `map-reduce wall ÷ one whole-day call, median ${ratio.toFixed(2)} (below 1: the chunks run in parallel over two vendors' lanes; one call of that size would also exceed most cheap models' context)`,
        ],
      };
    } finally {
      await hive.close();
    }
  } finally {
    await Promise.all(fakes.map((f) => f.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Turns the channel's digest on and captures a day of messages; returns the window. */
async function captureDay(hive: Hive): Promise<{ from: number; to: number; text: string }> {
  const to = Date.now();
  const from = to - 86_400_000;
  const channel = { platform: 'bench', workspaceId: WS, channelId: CH, time: '09:00', timezone: 'UTC', enabledAt: from, enabledBy: 'bench', options: {} };
  await hive.ctx.digests.channels.put(channel);
  const tagged = [];
  for (let i = 0; i < MESSAGES; i++) {
    const text = `build ${i % 40} on branch feature-${i % 97} is ${i % 3 === 0 ? 'green' : 'red'}; ${i % 7 === 0 ? 'who owns the flaky test?' : 'retrying the pipeline'}`;
    const message = {
      workspaceId: WS,
      channelId: CH,
      messageId: `b-${i}`,
      authorId: `U${i % 25}`,
      authorName: `user${i % 25}`,
      text,
      at: from + 1 + i * 8_000,
    };
    await hive.host.capture.observe({ kind: 'message', message });
    tagged.push({ id: `m${i + 1}`, author: message.authorName, time: '00:00', text });
  }
  return { from, to, text: mapRequest(tagged, 12).messages[0]!.content };
}

async function digestOnce(hive: Hive, day: { from: number; to: number }): Promise<Record<string, string | number>> {
  const channel = (await hive.ctx.digests.channels.get(WS, CH))!;
  const t0 = performance.now();
  const run = await hive.ctx.digests.runner.run({ channel, from: day.from, to: day.to, userId: 'bench', title: 'Digest' });
  const wall = performance.now() - t0;
  if (run.kind !== 'done') throw new Error('the bench day made no digest');
  const record = await hive.evidence.get(run.evidenceId, WS);
  const calls = record?.calls ?? [];
  const usage = sumUsage(calls);
  return {
    calls: calls.length,
    'by vendor': ['openai', 'anthropic'].map((v) => `${v} ${calls.filter((c) => c.vendor === v).length}`).join(', '),
    'input tok': usage.inputTokens,
    'output tok': usage.outputTokens,
    'cost $': (totalCost(calls) ?? 0).toFixed(4),
    'digest ms': wall.toFixed(0),
  };
}

/** The same day in one request, straight through the OpenAI SDK: what a single call would take. */
async function oneCall(url: string, day: { text: string }): Promise<Record<string, string | number>> {
  const client = new OpenAI({ apiKey: KEYS.openai, baseURL: url, maxRetries: 0 });
  const t0 = performance.now();
  await client.chat.completions.create({ model: 'gpt-6-luna', messages: [{ role: 'user', content: day.text }], max_tokens: 2048 });
  const wall = performance.now() - t0;
  return { 'one call ms': wall.toFixed(0), 'one call input tok': Math.ceil(day.text.length / 4) };
}
