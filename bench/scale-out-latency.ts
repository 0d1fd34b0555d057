import { sleep } from './processes.ts';
import { ask, finalAnswers, now, queuedMs, startStack } from './scale-out-stack.ts';

/** A fast vendor, so the hop is a visible share of the answer's time. */
const VENDOR_LATENCY_MS = 20;
export const WARM_UP_ROUNDS = 5;
export const ROUNDS = 40;
const MODES = ['direct', 'queued'] as const;
const OPEN = { rpm: 1_000_000, periodMs: 60_000, concurrency: 1_000 };

/** Milliseconds from the signed slash POST to the fake Slack receiving the final answer, per mode, plus the worker's `queuedMs`. */
export interface LatencyFigures {
  direct: number[];
  queued: number[];
  /** The worker's own count of each measured job's wait in the queue. */
  queuedMs: number[];
}

/**
 * The same `/ask` answered by `HIVE_ROLE=all` without a queue and by intake plus one worker over
 * BullMQ, one of each per round (the order alternating), all processes running throughout.
 */
export async function runLatency(): Promise<LatencyFigures> {
  const stack = await startStack({ vendor: 'openai', latencyMs: VENDOR_LATENCY_MS }, OPEN);
  try {
    const [direct, intake, worker] = await Promise.all([stack.start('all', 'all'), stack.start('intake', 'serve'), stack.start('worker', 'worker')]);
    const answers = finalAnswers(stack.slack);
    const once = async (port: number, id: string) => {
      const t0 = now();
      await ask(stack.slack, port, id);
      await stack.slack.waitFor(() => answers.refresh().has(`C${id}`), 30_000);
      return answers.at.get(`C${id}`)! - t0;
    };
    const out: LatencyFigures = { direct: [], queued: [], queuedMs: [] };
    for (let r = 0; r < WARM_UP_ROUNDS + ROUNDS; r++) {
      const got = { direct: 0, queued: 0 };
      for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) got[mode] = await once(mode === 'direct' ? direct.port : intake.port, `${mode}${r}`);
      if (r < WARM_UP_ROUNDS) continue;
      out.direct.push(got.direct);
      out.queued.push(got.queued);
    }
    await sleep(500); // the last "job done" line comes just after its answer
    out.queuedMs = queuedMs(worker).slice(WARM_UP_ROUNDS);
    return out;
  } finally {
    await stack.close();
  }
}
