import { createLimitEvidence, type LimitEvidence } from './limit-evidence.ts';
import { createRefillEstimate, type RefillEstimate } from './limit-evidence.ts';

/**
 * `guessed`: nobody set this limit, so it is a guess until headers state it (a guess never refuses
 * a job). `probe`: also start with one call at a time and grow while calls succeed (requests).
 */
export interface BucketOptions {
  guessed?: boolean;
  probe?: boolean;
  /** A guessed bucket's starting pace. */
  startRatePerMs?: number;
  /**
   * How much sooner than planned a call may reach the vendor than the one before it: the bucket keeps
   * back what refills in this time (at most one token), so calls paced at a vendor's exact rate are not
   * refused for arriving close together. It delays only a drained bucket's next call, never the pace.
   */
  jitterMs?: number;
}

/**
 * How much sooner than planned a call may reach the vendor than the one before it, by default
 * (event-loop and network delays): see `BucketOptions.jitterMs`.
 */
export const DEFAULT_JITTER_MS = 60;

/**
 * How long after its sending a call may reach the vendor, in `jitterMs`: until then, or its answer, a
 * full bucket is taken to wait for it (see `unarrived`). A stalled event loop delays a send by
 * several times the usual spread between two.
 */
const ARRIVAL_JITTERS = 4;

/** Sends remembered for pairing reports (how many calls the vendor counted between two of them). */
const SEND_LOG_MS = 10 * 60_000;
const SEND_LOG_MAX = 2_000;

/** One call sent: its number, time and amount, so reports can be placed among the calls. */
export interface Send {
  seq: number;
  t: number;
  n: number;
  landed?: boolean;
}

/**
 * What a token bucket knows, in one object its parts (the report anchor, the delay learning) share
 * explicitly rather than through closures over loose variables.
 */
export interface BucketState {
  cap: number;
  ratePerMs: number;
  /** The rate the limit itself stands for (configured, or scaled by a learned limit): 429s slow below it, successes creep back. */
  fullRate: number;
  readonly floorRate: number;
  readonly guessed: boolean;
  proven: boolean;
  /** The best lower bound on the vendor's refill that its numbers prove (per ms; 0: none yet). */
  provable: number;
  readonly probing: boolean;
  slowStart: boolean;
  burst: number;
  level: number;
  /** Taken for calls still in flight (a probing bucket lets only `burst` out at once). */
  pending: number;
  at: number;
  readonly sends: Send[];
  nextSeq: number;
  /** The key's own limit as the vendor states it: its reports count from it, even under an admin's lower ceiling. */
  statedCap: number;
  readonly evidence: LimitEvidence;
  readonly est: RefillEstimate;
  /** When a 429's retry delay ends: the vendor then has (at least) one request for us. */
  creditAt: number | undefined;
  /** An admin's limit is a ceiling: headers and successes may slow the pace below it, never lift it above. */
  readonly ceiling: { cap: number; rate: number };
  readonly jitterMs: number;
  readonly arrivalMs: number;
}

/** A bucket's starting state: full unless probing, at the configured pace or a guessed bucket's start. */
export function createBucketState(capacity: number, periodMs: number, now: number, opts: BucketOptions): BucketState {
  const jitterMs = opts.jitterMs ?? 0;
  const ratePerMs = opts.guessed && opts.startRatePerMs ? Math.min(opts.startRatePerMs, capacity / periodMs) : capacity / periodMs;
  const guessed = Boolean(opts.guessed);
  const probing = guessed && Boolean(opts.probe);
  const burst = probing ? 1 : capacity;
  return {
    cap: capacity,
    ratePerMs,
    fullRate: ratePerMs,
    floorRate: 1 / periodMs,
    guessed,
    proven: !guessed,
    provable: 0,
    probing,
    slowStart: probing,
    burst,
    level: burst,
    pending: 0,
    at: now,
    sends: [],
    nextSeq: 0,
    statedCap: capacity,
    evidence: createLimitEvidence(capacity),
    est: createRefillEstimate(),
    creditAt: undefined,
    ceiling: guessed ? { cap: Infinity, rate: Infinity } : { cap: capacity, rate: capacity / periodMs },
    jitterMs,
    arrivalMs: ARRIVAL_JITTERS * jitterMs,
  };
}

/**
 * Taken by our calls that may not have reached the vendor by `t` (sent within the arrival time, not
 * back yet): a full bucket does not refill for them until they arrive, so neither may ours.
 */
export function unarrived(s: BucketState, t: number, after = -1): number {
  let n = 0;
  for (let i = s.sends.length - 1; i >= 0 && t - s.sends[i]!.t < s.arrivalMs; i--) {
    const x = s.sends[i]!;
    if (x.seq > after && x.t <= t && !x.landed) n += x.n;
  }
  return n;
}

/** Brings the paced level up to `t`, and credits the request a 429's retry delay promised once it is due. */
export function refill(s: BucketState, t: number): void {
  if (t > s.at) {
    s.level = Math.max(s.level, Math.min(s.burst - unarrived(s, s.at), s.level + (t - s.at) * s.ratePerMs));
    s.at = t;
  }
  if (s.creditAt !== undefined && t >= s.creditAt) {
    s.level = Math.max(s.level, Math.min(s.burst, 1));
    s.creditAt = undefined;
  }
}

/** Never faster than the vendor's headers prove possible, nor than an admin allows. */
export const bounded = (s: BucketState, r: number): number => Math.min(s.ceiling.rate, s.evidence.hi, r);

/** Speeds the pace up to `r` (within bounds); the limit's own rate follows. */
export function faster(s: BucketState, r: number): void {
  s.ratePerMs = bounded(s, Math.max(s.ratePerMs, r));
  s.fullRate = Math.max(s.fullRate, s.ratePerMs);
}

/** How much our calls after the one numbered `a`, up to `b`, took. */
export const countedBetween = (s: BucketState, a: number, b: number): number => s.sends.reduce((n, x) => (x.seq > a && x.seq <= b ? n + x.n : n), 0);

/** A wait of `byRefill`, or less when a 429's retry delay promised a request sooner. */
export const withCredit = (s: BucketState, amount: number, byRefill: number, t: number): number =>
  s.creditAt === undefined ? byRefill : Math.min(byRefill, Math.max(0, s.creditAt - t) + Math.max(0, amount - 1) / s.ratePerMs);

/** Logs a send (kept for pairing reports, within bounds) and returns its number. */
export function logSend(s: BucketState, amount: number, t: number): number {
  const seq = s.nextSeq++;
  s.sends.push({ seq, t, n: amount });
  while (s.sends.length > SEND_LOG_MAX || (s.sends.length > 0 && t - s.sends[0]!.t > SEND_LOG_MS)) s.sends.shift();
  return seq;
}
