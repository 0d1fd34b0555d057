import type { CallRecord } from '../evidence/evidence-store.ts';
import type { ModelRef } from '../shared/types.ts';
import type { Usage } from '../shared/provider-spec.ts';

/** How one member of a consensus ended: answered, failed (with why), or cut off by time. */
export type MemberStatus = 'ok' | 'failed' | 'timed_out';

/** One member's run: its answer or why it has none, with the time and money it took. */
export interface MemberOutcome {
  ref: ModelRef;
  status: MemberStatus;
  /** The answer, trimmed; set only when `status` is `ok`. */
  text?: string;
  /** Why the member has no answer, in words a user can read. */
  reason?: string;
  /** Wall time of the member, retries included. */
  latencyMs: number;
  /** Every settled call's cost; `undefined` when a price is unknown. */
  costUsd: number | undefined;
  usage: Usage;
  /** The calls the executor reported (the evidence trail). */
  calls: CallRecord[];
}

/** A member that answered; the input of every verdict strategy. */
export interface Candidate {
  ref: ModelRef;
  text: string;
}

/** The agreement a verdict found among the members that answered. */
export type Agreement = 'all' | 'majority' | 'split';

/** One point the members differ on, with the models on each side. */
export interface Disagreement {
  topic: string;
  sides: { models: ModelRef[]; position: string }[];
}

/**
 * The combined answer. `vote` and `synthesis` carry an agreement; `single` is one model's answer
 * (nothing to compare); `side_by_side` is the fallback when no verdict could be formed.
 */
export interface Verdict {
  method: 'vote' | 'synthesis' | 'single' | 'side_by_side';
  answer: string;
  agreement?: Agreement;
  pointsOfAgreement: string[];
  disagreements: Disagreement[];
  /** Why a fallback was used, e.g. `synthesis failed: invalid JSON twice`. */
  note?: string;
}

/** The synthesis call's trail, when one was made. */
export interface SynthesisTrail {
  ref: ModelRef;
  ok: boolean;
  /** Calls made (first attempt and repair), for cost, ledger and evidence. */
  calls: CallRecord[];
  costUsd: number | undefined;
  latencyMs: number;
  /** Raw texts the model returned, kept for evidence. */
  outputs: string[];
  failure?: string;
}

/** Timing knobs of a consensus: each member's deadline and the grace given to stragglers. */
export interface ConsensusTiming {
  /** A member still running after this is cancelled and marked timed out. */
  memberTimeoutMs: number;
  /** Once a quorum agrees, stragglers get at least this long before they are cancelled. */
  graceMs: number;
  /** …or this share of the time the quorum took, whichever is longer. */
  graceRatio: number;
  /** Deadline of the synthesis call, repair included. */
  synthesisTimeoutMs: number;
}

/** Generous for real vendors: a member gets as long as one call may take; stragglers get 5 s or half the quorum's time. */
export const DEFAULT_TIMING: ConsensusTiming = { memberTimeoutMs: 120_000, graceMs: 5_000, graceRatio: 0.5, synthesisTimeoutMs: 90_000 };
