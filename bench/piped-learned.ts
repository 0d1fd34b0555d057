import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Vendor } from '../src/shared/provider-spec.ts';
import { CANARY } from '../test/helpers/hive-harness.ts';
import { answers } from './hive-process.ts';
import { compiledMain, spawnNode, startFakeVendorProcess, type FakeVendorProcess } from './processes.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const JOBS = 60;
const ROUNDS = 2;
const GOAL = 2.5;
/** Each key's limit: 4 requests per second, learned from the vendors' headers (Gemini: 429s only). */
const LIMIT = { requests: 4, inputTokens: 200_000, outputTokens: 200_000, windowMs: 1000 };
const ENV: Record<Vendor, [string, string]> = {
  anthropic: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
  openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
  google: ['GEMINI_API_KEY', 'GEMINI_BASE_URL'],
};

interface Run {
  ms: number;
  answered: number;
  errors: number;
  perVendor: Record<string, number>;
}

/**
 * One burst as a user makes it: 60 `/ask --cheap` lines piped into a fresh compiled Hive (nothing
 * learned, no admin settings), each vendor a fake in its own process limited per key.
 */
async function burst(vendors: Vendor[], main: string): Promise<Run> {
  const fakes: FakeVendorProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-learned-'));
  const env: Record<string, string> = { HIVE_DATA_DIR: dir, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
  for (const v of vendors) {
    const fake = await startFakeVendorProcess({ vendor: v, latencyMs: 20, text: `ok from ${v}`, rateLimit: LIMIT });
    fakes.push(fake);
    [env[ENV[v][0]], env[ENV[v][1]]] = [CANARY[v], fake.url];
  }
  const hive = spawnNode([main], env, dir);
  try {
    await hive.waitForLine((t) => t.startsWith('Hive on the terminal'), 30_000).catch(() => undefined);
    const from = hive.lines.length;
    const t0 = performance.now();
    hive.send(Array.from({ length: JOBS }, (_, i) => `/ask --cheap question number ${i}`).join('\n'));
    const end = await answers(hive, JOBS, 180_000, from);
    const out = hive.lines.slice(from).map((l) => l.text);
    const perVendor = Object.fromEntries(vendors.map((v) => [v, out.filter((t) => t === `ok from ${v}`).length]));
    return { ms: end - t0, answered: out.filter((t) => t.startsWith('— ')).length, errors: out.filter((t) => t.startsWith('! ')).length, perVendor };
  } finally {
    await hive.stop();
    for (const f of fakes) await f.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The acceptance as a user would run it: 3 keys vs 1, limits only learned, rounds alternating. */
export async function benchPipedLearned(): Promise<BenchResult> {
  const main = compiledMain();
  const one: Run[] = [];
  const three: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    one.push(await burst(['openai'], main));
    three.push(await burst(['anthropic', 'google', 'openai'], main));
  }
  const ratio = median(one.map((x) => x.ms)) / median(three.map((x) => x.ms));
  const once = [...one, ...three].every((x) => x.answered === JOBS && x.errors === 0);
  const row = (keys: string, xs: Run[]) => ({
    keys,
    'median ms': median(xs.map((x) => x.ms)).toFixed(0),
    runs: xs.map((x) => x.ms.toFixed(0)).join(', '),
    answered: xs.map((x) => x.answered).join(', '),
    'per vendor (last run)': Object.entries(xs.at(-1)!.perVendor)
      .map(([v, n]) => `${v} ${n}`)
      .join(', '),
  });
  return {
    name: `${JOBS} piped /ask --cheap lines into a fresh compiled Hive, no admin settings; each key limited to ${LIMIT.requests} requests per ${LIMIT.windowMs} ms (fakes in their own processes, vendor-style headers, Gemini none)`,
    rows: [row('1 vendor (OpenAI)', one), row('3 vendors', three)],
    verdicts: [
      `3 keys ÷ 1 key speed-up ${ratio.toFixed(2)}× (goal ≥ ${GOAL}×) — ${ratio >= GOAL ? 'met' : 'NOT met'}`,
      `every job answered once, no errors — ${once ? 'met' : 'NOT met'}`,
    ],
  };
}
