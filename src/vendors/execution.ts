import { HiveError } from '../errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { ModelRef, ModelRequest, ModelResult, Vendor } from '../types.ts';
import type { WaitNotice } from './wait-notices.ts';

/** Reserves money before a call and settles it after; the budget service implements it. */
export interface SpendGate {
  reserve(ref: ModelRef, req: ModelRequest): Promise<SpendHold>;
}

/** Money held for one call: settled with the call's record once made, released if it never is. */
export interface SpendHold {
  /**
   * Records the call's start just before it is made (model, prompt, worst case) on `ref`, the lane
   * that granted it: if the process stops mid-call, the call is still booked, as estimated.
   */
  start(ref: ModelRef): Promise<void>;
  settle(call: CallRecord): Promise<void>;
  release(): Promise<void>;
}

export interface ExecuteInput {
  workspaceId: string;
  candidates: ModelRef[];
  pinned: boolean;
  request: ModelRequest;
  keys: ReadonlyMap<Vendor, UsableKey>;
  gate?: SpendGate;
  onText?: (delta: string) => void;
  /** Told when the job is about to wait long for a rate limit, so the platform can say why. */
  onWait?: (notice: WaitNotice) => void;
  signal?: AbortSignal;
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
