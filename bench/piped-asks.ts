import { answers, prepareHiveDir, spawnHive } from './hive-process.ts';
import { BARE } from './idle-rss.ts';
import { compiledMain, spawnNode, startFakeVendorProcess } from './processes.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const JOBS = 1000;
const LATENCY_MS = 200;
const ROUNDS = 3;
const GOAL = 1.3;

/**
 * 1,000 `/ask` lines piped at once into the compiled Hive until all 1,000 answers are printed, vs
 * 1,000 concurrent bare SDK calls, against one fake (own process, 200 ms latency); alternating rounds.
 */
export async function benchPipedAsks(): Promise<BenchResult> {
  const main = compiledMain();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: LATENCY_MS });
  const d = await prepareHiveDir(fake.url, { concurrency: JOBS * 2 });
  const hive = spawnHive(d, main);
  const bare = spawnNode([BARE], {});
  const times = { hive: [] as number[], bare: [] as number[] };
  try {
    hive.send('/ask --cheap warm up');
    await answers(hive, 1, 30_000);
    await bare.waitForLine((t) => t === 'ready', 30_000);
    for (let r = 0; r < ROUNDS; r++) {
      const lines = Array.from({ length: JOBS }, (_, i) => `/ask --cheap round ${r} question ${i}`).join('\n');
      const from = hive.lines.length;
      let t0 = performance.now();
      hive.send(lines);
      times.hive.push((await answers(hive, JOBS, 120_000, from)) - t0);
      const at = bare.lines.length;
      t0 = performance.now();
      bare.send(`run ${JOBS} ${fake.url}`);
      times.bare.push((await bare.waitForLine((t) => t.startsWith('done'), 120_000, at)).at - t0);
    }
  } finally {
    await Promise.all([hive.stop(), bare.stop()]);
    await fake.close();
    d.remove();
  }
  const ratio = median(times.hive) / median(times.bare);
  const row = (label: string, xs: number[]) => ({ process: label, 'median ms': median(xs).toFixed(0), runs: xs.map((x) => x.toFixed(0)).join(', ') });
  return {
    name: `${JOBS} piped /ask lines into the compiled Hive (until all answered) vs ${JOBS} concurrent bare SDK calls; fake at ${LATENCY_MS} ms`,
    rows: [row('Hive (node dist/src/app/main.js)', times.hive), row('bare: OpenAI SDK, Promise.all', times.bare)],
    verdicts: [`Hive ÷ bare wall time ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×) — ${ratio <= GOAL ? 'met' : 'NOT met'}`],
  };
}
