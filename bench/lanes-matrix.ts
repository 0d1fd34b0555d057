import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Vendor } from '../src/shared/provider-spec.ts';
import { CANARY } from '../test/helpers/hive-harness.ts';
import { allowedAfterFirst, chosen, idealMs, limitOf, SHAPES, type Shape } from './lanes-shapes.ts';
import { compiledMain, spawnNode, startFakeVendorProcess, type FakeVendorProcess } from './processes.ts';
import type { BenchResult } from './types.ts';

const JOBS = 60;
const GOAL_RATIO = 2.85;
const GOAL_SHARE = 0.9;
const ENV: Record<Vendor, [string, string]> = {
  anthropic: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
  openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
  google: ['GEMINI_API_KEY', 'GEMINI_BASE_URL'],
};

const LATENCIES = [20, 1000] as const;

interface Run {
  ms: number;
  /** When the burst was sent, epoch ms (the fakes' fixed windows align to this clock). */
  sentAt: number;
  answered: number;
  errors: number;
  perVendor: Record<string, number>;
  /** 429s the fakes sent after each key's first answered request. */
  selfCaused: Record<string, number>;
  /** Answered after the burst's first second and one answer's latency (calls begun after the first second). */
  afterFirst: number;
  /** The most later-asked jobs any job saw answered before it on the same vendor. */
  overtaken: number;
}

/** Parses the terminal's answers: each `[n]` block's job number and the vendor its footer names, in the order printed. */
function answersOf(lines: readonly { at: number; text: string }[], t0: number) {
  const out: { job: number; vendor: string; at: number }[] = [];
  let job = -1;
  for (const l of lines) {
    const n = /^\[(\d+)\]/.exec(l.text)?.[1];
    if (n !== undefined) job = Number(n) - 1;
    if (l.text.startsWith('— ') && job >= 0) out.push({ job, vendor: vendorOfFooter(l.text), at: l.at - t0 });
  }
  return out;
}

function vendorOfFooter(footer: string): string {
  if (/claude/.test(footer)) return 'anthropic';
  if (/gemini/.test(footer)) return 'google';
  return 'openai';
}

/** Per vendor, the most jobs asked after one that were answered before it. */
function overtaking(done: readonly { job: number; vendor: string }[]): number {
  let most = 0;
  for (const [i, a] of done.entries()) {
    const later = done.slice(0, i).filter((b) => b.vendor === a.vendor && b.job > a.job).length;
    most = Math.max(most, later);
  }
  return most;
}

/** One burst of 60 `/ask --cheap` lines into a fresh compiled Hive, each vendor's fake in its own process. */
async function burst(vendors: readonly Vendor[], shape: Shape, latencyMs: number, main: string): Promise<Run> {
  const fakes: [Vendor, FakeVendorProcess][] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-matrix-'));
  const env: Record<string, string> = { HIVE_DATA_DIR: dir, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
  for (const v of vendors) {
    const fake = await startFakeVendorProcess({ vendor: v, latencyMs, text: `ok from ${v}`, rateLimit: limitOf(shape) });
    fakes.push([v, fake]);
    [env[ENV[v][0]], env[ENV[v][1]]] = [CANARY[v], fake.url];
  }
  const hive = spawnNode([main], env, dir);
  try {
    await hive.waitForLine((t) => t.startsWith('Hive on the terminal'), 30_000).catch(() => undefined);
    const from = hive.lines.length;
    const t0 = performance.now();
    const sentAt = Date.now();
    hive.send(Array.from({ length: JOBS }, (_, i) => `/ask --cheap question number ${i}`).join('\n'));
    let seen = 0;
    await hive.waitForLine((t) => (t.startsWith('— ') || t.startsWith('! ')) && ++seen >= JOBS, 400_000, from);
    const lines = hive.lines.slice(from);
    const done = answersOf(lines, t0);
    const selfCaused: Record<string, number> = {};
    for (const [v, f] of fakes) selfCaused[v] = ((await f.stats()) as unknown as { rateLimited: { afterFirstAnswer: number } }).rateLimited.afterFirstAnswer;
    return {
      ms: Math.max(0, ...done.map((d) => d.at)),
      sentAt,
      answered: done.length,
      errors: lines.filter((l) => l.text.startsWith('! ')).length,
      perVendor: Object.fromEntries(vendors.map((v) => [v, done.filter((d) => d.vendor === v).length])),
      selfCaused,
      afterFirst: done.filter((d) => d.at > 1000 + latencyMs).length,
      overtaken: overtaking(done),
    };
  } finally {
    await hive.stop();
    for (const [, f] of fakes) await f.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The headline "three keys, three paces" under limit shapes a user's keys really have: for each
 * shape and vendor latency, one key against three, with what each vendor's headers say (Gemini none).
 */
export async function benchLanesMatrix(): Promise<BenchResult> {
  const main = compiledMain();
  const rows: Record<string, string>[] = [];
  const worst = { ratio: Infinity, share: Infinity, selfCaused: 0, geminiRefusals: 0, overtaken: 0 };
  for (const shape of SHAPES) {
    for (const latencyMs of LATENCIES) {
      if (!chosen(shape, latencyMs)) continue;
      const one = await burst(['openai'], shape, latencyMs, main);
      const three = await burst(['anthropic', 'google', 'openai'], shape, latencyMs, main);
      // One key that turns jobs away (past the two-minute deadline) is compared by answers a second.
      const ratio = one.errors > 0 ? three.answered / three.ms / (one.answered / one.ms) : one.ms / three.ms;
      const allowed = allowedAfterFirst(shape, 3, latencyMs, three.ms, three.sentAt);
      const share = allowed === undefined ? Infinity : three.afterFirst / allowed;
      // A key whose capacity holds the whole burst answers it at once: a second key cannot make that faster.
      const applies = shape.capacity < JOBS;
      const headerRefusals = (three.selfCaused.anthropic ?? 0) + (three.selfCaused.openai ?? 0) + (one.selfCaused.openai ?? 0);
      if (applies) worst.ratio = Math.min(worst.ratio, ratio);
      worst.share = Math.min(worst.share, share);
      worst.selfCaused = Math.max(worst.selfCaused, headerRefusals);
      worst.geminiRefusals = Math.max(worst.geminiRefusals, three.selfCaused.google ?? 0);
      worst.overtaken = Math.max(worst.overtaken, one.overtaken, three.overtaken);
      rows.push({
        shape: shape.name,
        latency: `${latencyMs} ms`,
        '1 key s (ideal)': `${(one.ms / 1000).toFixed(1)} (${(idealMs(shape, 1, latencyMs, JOBS, one.sentAt) / 1000).toFixed(1)})${one.errors ? `, ${one.errors} refused` : ''}`,
        '3 keys s (ideal)': `${(three.ms / 1000).toFixed(1)} (${(idealMs(shape, 3, latencyMs, JOBS, three.sentAt) / 1000).toFixed(1)})${three.errors ? `, ${three.errors} refused` : ''}`,
        ratio: applies ? `${ratio.toFixed(2)}×${one.errors > 0 ? ' (answers/s)' : ''}` : `${ratio.toFixed(2)}× (n/a: one key holds the burst)`,
        'share of limits after 1 s + latency': Number.isFinite(share) ? `${Math.round(share * 100)}%` : '—',
        split: Object.entries(three.perVendor)
          .map(([v, n]) => `${v} ${n}`)
          .join(', '),
        '429s (1 key; 3 keys)': `${one.selfCaused.openai ?? 0}; ${Object.entries(three.selfCaused)
          .map(([v, n]) => `${v} ${n}`)
          .join(', ')}`,
        overtaken: `${one.overtaken}; ${three.overtaken}`,
      });
    }
  }
  return {
    name: `${JOBS}-job bursts of piped /ask --cheap into a fresh compiled Hive, per limit shape and vendor latency; fakes in their own processes counting calls on arrival, with each vendor's limit headers (Gemini none, whole-second RetryInfo)`,
    rows,
    verdicts: [
      `worst 3 keys ÷ 1 key ${worst.ratio.toFixed(2)}× (goal ≥ ${GOAL_RATIO}× for every shape whose capacity is below the burst) — ${worst.ratio >= GOAL_RATIO ? 'met' : 'NOT met'}`,
      `worst share of the summed limits after the first second and one latency ${Math.round(worst.share * 100)}% (goal ≥ ${GOAL_SHARE * 100}%) — ${worst.share >= GOAL_SHARE ? 'met' : 'NOT met'}`,
      `worst 429s from vendors with limit headers after their first answer: ${worst.selfCaused} (goal 0) — ${worst.selfCaused === 0 ? 'met' : 'NOT met'}`,
      `worst 429s from Gemini in a burst: ${worst.geminiRefusals} (goal ≤ 3) — ${worst.geminiRefusals <= 3 ? 'met' : 'NOT met'}`,
      `largest overtaking within a vendor's answers: ${worst.overtaken} jobs`,
    ],
  };
}
