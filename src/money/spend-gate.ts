import type { CallRecord } from '../evidence/evidence-store.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ModelRequest } from '../shared/provider-spec.ts';

/** Reserves money before a call and settles it after; the budget service implements it. */
export interface SpendGate {
  /** `fileTokens`: input tokens of the files the call sends as native blocks, held on top of the prompt's bytes. */
  reserve(ref: ModelRef, req: ModelRequest, fileTokens?: number): Promise<SpendHold>;
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
