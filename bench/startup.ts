import path from 'node:path';
import { answers, prepareHiveDir, spawnHive, type HiveDir } from './hive-process.ts';
import { largeStore, LEDGER_ROWS } from './large-store.ts';
import { compiledMain, ROOT, spawnNode, startFakeVendorProcess } from './processes.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const ROUNDS = 5;
const GOAL_MS = 1000;
const BARE = path.join(ROOT, 'bench', 'bare-sdk-process.mjs');

/** Spawn of the compiled main → its first answer to a `/ask` written at once (fake latency 0). */
async function startOnce(d: HiveDir, main: string): Promise<number> {
  const t0 = performance.now();
  const p = spawnHive(d, main);
  p.send('/ask --cheap Are you ready?');
  try {
    return (await answers(p, 1, 30_000)) - t0;
  } finally {
    await p.stop();
  }
}

/** The floor: plain Node importing the three SDKs, then one streamed call to the same fake. */
async function bareOnce(url: string): Promise<number> {
  const t0 = performance.now();
  const p = spawnNode([BARE], {});
  p.send(`run 1 ${url}`);
  try {
    return (await p.waitForLine((t) => t.startsWith('done'), 30_000)).at - t0;
  } finally {
    await p.stop();
  }
}

/**
 * Start-up time of `npm start` (compiled, terminal adapter on pipes) to its first answer, with an
 * empty log database and with the large one, in alternating rounds, beside the bare-SDK floor.
 */
export async function benchStartup(): Promise<BenchResult> {
  const main = compiledMain();
  const large = await largeStore();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: 0 });
  const dirs = { small: await prepareHiveDir(fake.url), large: await prepareHiveDir(fake.url, { logsFile: large.file }) };
  const times: Record<'small' | 'large' | 'bare', number[]> = { small: [], large: [], bare: [] };
  try {
    await startOnce(dirs.small, main); // warm-up: file cache
    for (let r = 0; r < ROUNDS; r++) {
      times.small.push(await startOnce(dirs.small, main));
      times.large.push(await startOnce(dirs.large, main));
      times.bare.push(await bareOnce(fake.url));
    }
  } finally {
    await fake.close();
    dirs.small.remove();
    dirs.large.remove();
  }
  const row = (label: string, xs: number[]) => ({
    process: label,
    'median ms': median(xs).toFixed(0),
    'min ms': Math.min(...xs).toFixed(0),
    'max ms': Math.max(...xs).toFixed(0),
    runs: xs.map((x) => x.toFixed(0)).join(', '),
  });
  const [s, l] = [median(times.small), median(times.large)];
  return {
    name: `start-up: spawn of node dist/src/app/main.js → first /ask answered (fake latency 0), empty vs ${LEDGER_ROWS.toLocaleString('en-US')}-row log database`,
    rows: [row('Hive, empty log db', times.small), row('Hive, large log db', times.large), row('floor: node + the three SDKs, one call', times.bare)],
    verdicts: [
      `large log db: median ${l.toFixed(0)} ms (goal ≤ ${GOAL_MS} ms) — ${l <= GOAL_MS ? 'met' : 'NOT met'}; empty: ${s.toFixed(0)} ms (${(l / s).toFixed(2)}×)`,
      `the floor (plain node importing the SDKs, one call) ${median(times.bare).toFixed(0)} ms; the database file is in the OS page cache (just copied)`,
    ],
  };
}
