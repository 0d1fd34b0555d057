import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dayOf } from '../src/money/ledger.ts';
import { prepareHiveDir, spawnHive } from './hive-process.ts';
import { largeStore, LEDGER_ROWS } from './large-store.ts';
import { openBenchHive } from './overhead-rounds.ts';
import { compiledMain, startFakeVendorProcess } from './processes.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const RUNS = 9;
const GOAL_MS = 50;
const DAY_MS = 86_400_000;

/** Median wall time of `f` over RUNS runs after one warm-up, and its last result. */
async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; last: T }> {
  let last = await f();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await f();
    xs.push(performance.now() - t0);
  }
  return { ms: median(xs), last };
}

/** `/hive usage month` through the compiled process: line written → reply printed, RUNS times. */
async function viaCommand(fakeUrl: string, logsFile: string): Promise<number> {
  const d = await prepareHiveDir(fakeUrl, { logsFile });
  const p = spawnHive(d, compiledMain());
  try {
    const one = async () => {
      const from = p.lines.length;
      p.send('/hive usage month');
      await p.waitForLine((t) => /^\[\d+\]/.test(t), 30_000, from);
    };
    return (await timed(one)).ms;
  } finally {
    await p.stop();
    d.remove();
  }
}

/**
 * The ledger summary behind `/hive usage month` over the large log database: one workspace's full
 * 30 days (the heaviest month the data holds) and this calendar month so far, plus the real command.
 */
export async function benchUsageMonth(): Promise<BenchResult> {
  const large = await largeStore();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-usage-'));
  fs.copyFileSync(large.file, path.join(dir, 'logs.sqlite'));
  const hive = await openBenchHive(fake.url, { HIVE_DATA_DIR: dir });
  try {
    const end = new Date(large.endMs);
    const ranges: [string, string, string][] = [
      ['30 days (a full month of rows)', dayOf(new Date(large.endMs - 29 * DAY_MS)), dayOf(end)],
      ['this calendar month so far', `${dayOf(new Date())!.slice(0, 7)}-01`, dayOf(new Date())],
    ];
    const rows: BenchResult['rows'] = [];
    for (const [label, from, to] of ranges) {
      const r = await timed(() => hive.ledger.summarize('local', from, to));
      rows.push({ query: `ledger.summarize, ${label}`, range: `${from} → ${to}`, 'rows summed': r.last.total.calls, 'median ms': r.ms.toFixed(1) });
    }
    const cmd = await viaCommand(fake.url, large.file);
    rows.push({
      query: '/hive usage month via the compiled process (pipe round trip)',
      range: String(rows[1]!.range),
      'rows summed': rows[1]!['rows summed']!,
      'median ms': cmd.toFixed(1),
    });
    const full = Number(rows[0]!['median ms']);
    return {
      name: `/hive usage month over ${LEDGER_ROWS.toLocaleString('en-US')} ledger rows (workspace "local", one of 6)`,
      rows,
      verdicts: [`summary of a full month, median ${full.toFixed(1)} ms of ${RUNS} (goal ≤ ${GOAL_MS} ms) — ${full <= GOAL_MS ? 'met' : 'NOT met'}`],
    };
  } finally {
    await hive.close();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
