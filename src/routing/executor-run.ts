import type { BackoffPolicy } from './backoff.ts';
import type { Clock } from '../shared/clock.ts';
import type { Cooldowns } from './cooldown.ts';
import { HiveError } from '../shared/errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { RetryBudget } from './retry-budget.ts';
import type { ModelProvider, Vendor } from '../shared/provider-spec.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { PacerFullError, PacerTooSmallError, type Demand, type Pacer } from '../pacing/pacer.ts';
import type { WaitNotices } from '../pacing/wait-notices.ts';
import type { SecretRegistry, SecretScrubber } from '../shared/secrets.ts';
import type { ScrubbedStream } from '../keys/scrubbed-stream.ts';
import { ExecutionFailed, type ExecuteInput } from './execution.ts';

/** What the executor runs on: the vendors' providers, the price table, the pacer and cooldowns, the keys and the clock. */
export interface ExecutorDeps {
  providers: Record<Vendor, ModelProvider>;
  /** Prices every call and its worst case, and knows which models are retired. */
  catalogue: PriceCatalogue;
  pacer: Pacer;
  cooldowns: Cooldowns;
  keys: KeyService;
  clock: Clock;
  timeoutMs: number;
  backoff?: Partial<BackoffPolicy>;
  random?: () => number;
  /** Known secrets: every answer, streamed text and vendor failure is masked for its workspace before anyone sees it. */
  secrets?: SecretRegistry;
}

/** What one job carries across vendors and attempts. */
export interface JobRun {
  x: ExecuteInput;
  demand: Demand;
  calls: CallRecord[];
  /** Vendors the job gave up on, and why (`anthropic overloaded`). */
  failures: string[];
  /** Failures the job got past on the same vendor; named too if another vendor answers in the end. */
  setbacks: Map<Vendor, string>;
  budget: RetryBudget;
  notices: WaitNotices;
  tries: Map<Vendor, { sick: number; limited: number }>;
  /** The workspace's view of the secrets, and the job's streamed text passing through it. */
  own?: SecretScrubber;
  live?: ScrubbedStream;
  last?: HiveError;
  full?: PacerFullError;
}

/** Notes that the job gave up on `vendor`, and keeps the soonest "rate limit full" to tell the user. */
export function fail(run: JobRun, vendor: Vendor, reason: string, error: HiveError): void {
  const line = `${vendor} ${reason}`;
  if (!run.failures.includes(line)) run.failures.push(line);
  run.last = error;
  if (error instanceof PacerFullError && (!run.full || error.waitMs < run.full.waitMs)) run.full = error;
}

/** The failures worth naming beside an answer: vendors given up on, and setbacks on vendors that did not answer. */
export function answeredFailures(run: JobRun, answered: Vendor): string[] {
  const out = [...run.failures];
  for (const [vendor, reason] of run.setbacks) if (vendor !== answered && !out.includes(`${vendor} ${reason}`)) out.push(`${vendor} ${reason}`);
  return out;
}

/** Throws the job's failure; a pace that was merely full says when to retry rather than why another could not. */
export function giveUp(run: JobRun): never {
  for (const [vendor, reason] of run.setbacks) if (!run.failures.includes(`${vendor} ${reason}`)) run.failures.push(`${vendor} ${reason}`);
  const paced = run.last instanceof PacerFullError || run.last instanceof PacerTooSmallError;
  throw new ExecutionFailed(run.calls, run.failures, (paced && run.full) || run.last || new HiveError('no_candidates', 'No model could be tried'));
}
