import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hive } from '../src/app/hive.ts';
import { EVIDENCE_RECORDS, LEDGER_ROWS, largeStore } from './large-store.ts';
import { hiveJob, interleave, openBenchHive, overhead, overheadRow, sdkJob } from './overhead-rounds.ts';
import { startFakeVendorProcess } from './processes.ts';
import type { BenchResult } from './types.ts';

const ROUNDS = 15;
const PER_ROUND = 30;
const GOAL = 1.2;

/**
 * Engine overhead per job on SQLite with an empty log database and with a large one (1,000,000
 * ledger rows, 100,000 evidence records), side by side: the SDK and both Hives interleaved job by job.
 */
export async function benchOverheadLarge(): Promise<BenchResult> {
  const large = await largeStore();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: 0 });
  const dirs = { small: tmp(), large: tmp() };
  const t0 = performance.now();
  fs.copyFileSync(large.file, path.join(dirs.large, 'logs.sqlite'));
  const copyMs = performance.now() - t0;
  const hives: Hive[] = [];
  try {
    const open = async (dir: string) => {
      const h = await openBenchHive(fake.url, { HIVE_DATA_DIR: dir, HIVE_STORE_URL: `sqlite://${dir}/hive.sqlite` });
      hives.push(h);
      return h;
    };
    const small = await open(dirs.small);
    const big = await open(dirs.large);
    const t = await interleave({ sdk: sdkJob(fake.url), small: () => hiveJob(small), large: () => hiveJob(big) }, ROUNDS, PER_ROUND);
    const [s, l] = [overhead(t.small!, t.sdk!), overhead(t.large!, t.sdk!)];
    const ratio = l.median / s.median;
    const generated = large.generatedMs === undefined ? `cached (${path.basename(large.file)})` : `generated in ${(large.generatedMs / 1000).toFixed(1)} s`;
    return {
      name: `engine overhead per job, SQLite: empty log database vs ${LEDGER_ROWS.toLocaleString('en-US')} ledger rows + ${EVIDENCE_RECORDS.toLocaleString('en-US')} evidence records`,
      rows: [overheadRow('sqlite, empty log db', t.small!, t.sdk!), overheadRow('sqlite, large log db', t.large!, t.sdk!)],
      verdicts: [
        `large ÷ small overhead median ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×) — ${ratio <= GOAL ? 'met' : 'NOT met'}; p99 overhead ${l.p99.toFixed(3)} ms vs ${s.p99.toFixed(3)} ms`,
        `large store: ${generated}; copied for this run in ${copyMs.toFixed(0)} ms (${(fs.statSync(large.file).size / 1e6).toFixed(0)} MB)`,
      ],
    };
  } finally {
    for (const h of hives) await h.close();
    await fake.close();
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
  }
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-large-'));
