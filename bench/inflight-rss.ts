import { answers, prepareHiveDir, spawnHive } from './hive-process.ts';
import { BARE } from './idle-rss.ts';
import { compiledMain, rssMb, settledRssMb, sleep, spawnNode, startFakeVendorProcess, until, type FakeVendorProcess, type LineProcess } from './processes.ts';
import type { BenchResult } from './types.ts';

const JOBS = 1000;
/** Long enough that every job is in flight together, and RSS can be read several times meanwhile. */
const LATENCY_MS = 8000;
/** How long the jobs may take to reach the fake together (a loaded 2-core box opens 1,000 connections slowly). */
const GATHER_MS = 6000;
const GOAL = 1.1;

interface Memory {
  idle: number;
  peak: number;
  maxInFlight: number;
}

/** Idle RSS, then `start()` puts JOBS calls in flight: RSS is read (peak of several samples) while the fake holds them all. */
async function during(p: LineProcess, fake: FakeVendorProcess, start: () => void, finished: () => Promise<unknown>): Promise<Memory> {
  await sleep(1500);
  const idle = await settledRssMb(p.pid, 5, 200);
  start();
  await until(async () => (await fake.stats()).inFlight >= JOBS, GATHER_MS, `${JOBS} requests in flight at the fake`).catch(() => undefined);
  let peak = 0;
  for (let i = 0; i < 5; i++, await sleep(100)) peak = Math.max(peak, rssMb(p.pid));
  const { inFlight: maxInFlight } = await fake.stats();
  await finished();
  return { idle, peak, maxInFlight };
}

/**
 * Memory with 1,000 jobs in flight: the compiled Hive (1,000 piped `/ask` lines) vs a bare process
 * with 1,000 concurrent SDK streams, both against one fake (own process) that holds every request 8 s.
 */
export async function benchInflightRss(): Promise<BenchResult> {
  const main = compiledMain();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: LATENCY_MS, fastWhen: 'warm up' });
  const d = await prepareHiveDir(fake.url, { concurrency: JOBS * 2 });
  const hive = spawnHive(d, main);
  const bare = spawnNode([BARE], {});
  try {
    hive.send('/ask --cheap warm up');
    await answers(hive, 1, 30_000);
    const lines = Array.from({ length: JOBS }, (_, i) => `/ask --cheap question number ${i}`).join('\n');
    const h = await during(
      hive,
      fake,
      () => hive.send(lines),
      () => answers(hive, JOBS + 1, 120_000),
    );
    bare.send(`run 1 ${fake.url} warm up`);
    await bare.waitForLine((t) => t.startsWith('done'), 30_000);
    const from = bare.lines.length;
    const b = await during(
      bare,
      fake,
      () => bare.send(`run ${JOBS} ${fake.url}`),
      () => bare.waitForLine((t) => t === `done ${JOBS}`, 120_000, from),
    );
    const ratio = (h.peak - h.idle) / (b.peak - b.idle);
    const row = (label: string, m: Memory) => ({
      process: label,
      'idle MB': m.idle.toFixed(1),
      [`${JOBS} in flight MB`]: m.peak.toFixed(1),
      'increase MB': (m.peak - m.idle).toFixed(1),
      'per job KB': (((m.peak - m.idle) * 1024) / JOBS).toFixed(0),
      'in flight at fake when read': m.maxInFlight,
    });
    return {
      name: `RSS with ${JOBS} jobs in flight (fake holds each ${LATENCY_MS / 1000} s): compiled Hive vs bare SDK streams`,
      rows: [row('Hive (node dist/src/app/main.js, piped /ask)', h), row('bare: OpenAI SDK, concurrent streams', b)],
      verdicts: [
        h.maxInFlight < JOBS || b.maxInFlight < JOBS
          ? `increase over idle, Hive ÷ bare ${ratio.toFixed(2)}× — NOT met: not judged, only ${h.maxInFlight} (Hive) and ${b.maxInFlight} (bare) of ${JOBS} were in flight together ${GATHER_MS / 1000} s after sending`
          : `increase over idle, Hive ÷ bare ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×) — ${ratio <= GOAL ? 'met' : 'NOT met'}`,
      ],
    };
  } finally {
    await Promise.all([hive.stop(), bare.stop()]);
    await fake.close();
    d.remove();
  }
}
