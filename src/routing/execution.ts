import { HiveError } from '../shared/errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { SpendGate } from '../money/spend-gate.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ModelRequest, ModelResult, Vendor } from '../shared/provider-spec.ts';
import type { WaitNotice } from '../pacing/wait-notices.ts';
import type { RequestFor } from './job-files.ts';

export interface ExecuteInput {
  workspaceId: string;
  candidates: ModelRef[];
  pinned: boolean;
  request: ModelRequest;
  /**
   * The request as each model receives it, when that differs by model (files prepared for its
   * vendor); a failover re-prepares for the next model. Absent: `request` for every model.
   */
  requestFor?: RequestFor;
  keys: ReadonlyMap<Vendor, UsableKey>;
  gate?: SpendGate;
  onText?: (delta: string) => void;
  /** Told when the job is about to wait long for a rate limit, so the platform can say why. */
  onWait?: (notice: WaitNotice) => void;
  signal?: AbortSignal;
  /** Told when the job gives up on a vendor (and tries the next, if any), so a platform can show the step. */
  onFailover?: (vendor: Vendor, reason: string) => void;
  /** How long the job may wait for rate limits in all (default 2 min): background work (digests) waits longer. */
  rateDeadlineMs?: number;
}

/** A successful execution: the answer, which model gave it, and every call made on the way. */
export interface Execution {
  result: ModelResult;
  ref: ModelRef;
  calls: CallRecord[];
  /** Vendors that failed before the answer, e.g. `anthropic overloaded`. */
  failures: string[];
}

/** Every candidate failed; carries the calls (for cost and evidence) and the last error. */
export class ExecutionFailed extends HiveError {
  constructor(
    readonly calls: CallRecord[],
    readonly failures: string[],
    readonly last: HiveError,
  ) {
    super(last.code, last.message, { retryable: last.retryable, retryAfterMs: last.retryAfterMs, cause: last });
    this.name = 'ExecutionFailed';
  }
}
