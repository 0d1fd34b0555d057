import path from 'node:path';
import { answers, prepareHiveDir, spawnHive } from './hive-process.ts';
import { compiledMain, ROOT, settledRssMb, sleep, spawnNode, startFakeVendorProcess, type LineProcess } from './processes.ts';
import type { BenchResult } from './types.ts';

const GOAL_MB = 120;
const SETTLE_MS = 3000;
export const BARE = path.join(ROOT, 'bench', 'bare-sdk-process.mjs');

/** Lets a started process settle (start-up garbage collected, timers quiet), then samples its RSS. */
async function idle(p: LineProcess): Promise<number> {
  await sleep(SETTLE_MS);
  return settledRssMb(p.pid, 7, 250);
}

/**
 * Idle resident memory of `npm start` (node dist/src/app/main.js, terminal adapter, stdin open) after
 * it started (answered `/hive help`) and after one answered `/ask`, beside a bare process that only loads the three SDKs and made the same call.
 */
export async function benchIdleRss(): Promise<BenchResult> {
  const main = compiledMain();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: 0 });
  const d = await prepareHiveDir(fake.url);
  const hive = spawnHive(d, main);
  const bare = spawnNode([BARE], {});
  try {
    hive.send('/hive help'); // a reply that needs no vendor: the process is up
    await hive.waitForLine((t) => t.startsWith('[1]'), 30_000);
    await bare.waitForLine((t) => t === 'ready', 30_000);
    const started = [await idle(hive), await idle(bare)];
    hive.send('/ask --cheap warm up');
    await answers(hive, 1, 30_000);
    bare.send(`run 1 ${fake.url}`);
    await bare.waitForLine((t) => t.startsWith('done'), 30_000);
    const [h, b] = [await idle(hive), await idle(bare)];
    return {
      name: 'idle RSS: npm start (compiled, terminal adapter, stdin open) vs a bare process with the three SDKs',
      rows: [
        { process: 'Hive (node dist/src/app/main.js)', 'started, MB': started[0]!.toFixed(1), 'after one answer, MB': h.toFixed(1) },
        { process: 'bare: node + @anthropic-ai/sdk, openai, @google/genai', 'started, MB': started[1]!.toFixed(1), 'after one answer, MB': b.toFixed(1) },
      ],
      verdicts: [
        `Hive idle RSS after one answer ${h.toFixed(1)} MB (goal ≤ ${GOAL_MB} MB) — ${h <= GOAL_MB ? 'met' : 'NOT met'}; ${(h - b).toFixed(1)} MB above the bare SDKs`,
      ],
    };
  } finally {
    await Promise.all([hive.stop(), bare.stop(), fake.close()]);
    d.remove();
  }
}
