import { createBucketState, logSend, refill, withCredit, type BucketOptions, type BucketState } from './bucket-state.ts';
import { createDelayLearning } from './delay-learning.ts';
import { createReportAnchor, observeLimits, type ReportAnchor, type ReportTiming } from './report-anchor.ts';

export { DEFAULT_JITTER_MS, type BucketOptions } from './bucket-state.ts';
export type { ReportTiming } from './report-anchor.ts';

/** What a bucket learned, kept across restarts (see `pacer-memory.ts`). */
export interface BucketMemory {
  capacity: number;
  ratePerMs: number;
  /** How many calls may go back to back while the limit is unproven. */
  burst: number;
  /** The vendor's headers (or an admin) stated the limit; otherwise it was probed. */
  proven: boolean;
  /** Still growing fast: no 429 seen yet. */
  slowStart: boolean;
}

/**
 * A continuously refilling token bucket, the model Anthropic documents for its limits and a
 * conservative one for OpenAI's. Work in flight is held as `pending` and only taken from the
 * level when it lands: the vendor counts a request when it arrives, which is at the latest when
 * its response comes back, so refill is never credited for time the vendor's bucket sat full.
 * A probing bucket (a limit nobody set) starts with one call at a time and grows while calls
 * succeed; every response's headers correct it, and a 429 halves it (AIMD).
 */
export interface TokenBucket {
  /** Tokens free for new work at `now` (level minus work in flight). */
  available(now: number): number;
  /** Milliseconds until `amount` tokens are free; `Infinity` when only a landing can free them. */
  waitFor(amount: number, now: number): number;
  /**
   * Like `deficitMs`, at the fastest refill the vendor's headers allow: a lower bound, so a job is
   * refused for a full pace only when even that cannot serve it in time.
   */
  soonestMs(amount: number, now: number): number;
  /** Whether `amount` can ever pass: a call larger than the whole bucket never will. */
  fits(amount: number): boolean;
  /** Estimated milliseconds of refill until `amount` tokens are free, ignoring the cap (for ranking paces). */
  deficitMs(amount: number, now: number): number;
  /** Takes tokens for work being sent now (the vendor counts a call when it arrives); the send's number. */
  hold(amount: number, now?: number): number;
  /** The work sent at `sentAt` (numbered `seq`) landed: what it really used replaces what was taken for it. */
  land(held: number, used: number, now: number, sentAt?: number, seq?: number): void;
  /** Empties the bucket (a 429 said there is nothing left). */
  drain(now: number): void;
  /**
   * A 429: our pace was too fast. Halve it, never below what the vendor provably refills. With the
   * vendor's own retry delay (`hintMs`: the time until one more request is allowed) an unproven
   * bucket paces at nearly one request per delay when that is faster than the halved pace.
   */
  throttle(now: number, hintMs?: number, stale?: boolean): void;
  /** A success without limit headers: grow (fast before the first 429, gently after). */
  relax(now: number): void;
  /**
   * Adopts what the vendor reported about the call sent at `at.sentAt`: its limit, what remained once
   * it was counted, and when the bucket is full again (`resetMs` from the response, or from the count
   * with `at.fromCount`; up to `at.slackMs` sooner). The rate follows from reports together, whatever
   * the window.
   */
  observe(limit: number | undefined, remaining: number | undefined, resetMs: number | undefined, now: number, at?: ReportTiming): void;
  /** Whose limit a wait on this bucket is: what the vendor stated or proved, or Hive's own caution. */
  readonly owner: WaitOwner;
  remember(): BucketMemory;
  /** Starts from a remembered state: as truth when fresh, else as a cautious hint. */
  recall(m: BucketMemory, fresh: boolean, now: number, savedAt: number): void;
  readonly capacity: number;
}

/**
 * Whose limit holds a call back: the vendor's (stated in headers, or proven by its refusals), an
 * admin's ceiling, Hive's cautious start on a key it knows nothing about, or Hive's default ceiling.
 */
export type WaitOwner = 'vendor' | 'admin' | 'cautious' | 'default';

/** Creates a bucket holding `capacity` tokens that refills fully every `periodMs`; full unless probing. */
export function createTokenBucket(capacity: number, periodMs: number, now: number, opts: BucketOptions = {}): TokenBucket {
  const s = createBucketState(capacity, periodMs, now, opts);
  const anchor = createReportAnchor(s);
  const learning = createDelayLearning(s);
  /** The level as the bucket believes it: proven by the newest report, else paced by the rate. */
  const levelNow = (t: number) => {
    refill(s, t);
    return anchor.paces ? Math.max(anchor.level(t), s.level) : s.level;
  };
  return {
    get capacity() {
      return s.cap;
    },
    available: levelNow,
    waitFor: (amount, t) => waitFor(s, anchor, levelNow(t), amount, t),
    fits: (amount) => !s.proven || amount <= s.cap,
    soonestMs(amount, t) {
      const level = levelNow(t);
      if (!s.proven) return 0;
      const fastest = Number.isFinite(s.evidence.hi) ? Math.max(s.ratePerMs, s.evidence.hi) : Math.max(s.ratePerMs, s.fullRate);
      return Math.max(0, (amount - level) / fastest);
    },
    deficitMs(amount, t) {
      refill(s, t);
      const paced = withCredit(s, amount, Math.max(0, (amount - s.level) / s.ratePerMs), t);
      return anchor.paces ? Math.min(anchor.waitMs(amount, t), paced) : paced;
    },
    hold(amount, t = s.at) {
      refill(s, t);
      s.level -= amount;
      s.pending += amount;
      return logSend(s, amount, t);
    },
    land: (held, used, t, sentAt, seq) => land(s, { held, used, sentAt, seq }, t),
    drain(t) {
      // A 429: whatever the headers proved, the vendor had nothing for us. Pace afresh from empty.
      s.level = Math.min(levelNow(t), 0);
      anchor.forget();
    },
    throttle: (t, hintMs, stale = false) => learning.throttle(t, hintMs, stale),
    relax: (t) => learning.relax(t),
    observe: (stated, remaining, resetMs, t, timing = {}) => observeLimits(s, anchor, { stated, remaining, resetMs, timing }, t),
    get owner(): WaitOwner {
      if (anchor.present || learning.heard) return 'vendor';
      if (!s.guessed) return 'admin';
      if (s.proven) return 'vendor';
      return s.probing ? 'cautious' : 'default';
    },
    remember: () => ({ capacity: s.cap, ratePerMs: s.ratePerMs, burst: s.burst, proven: s.proven, slowStart: s.slowStart }),
    recall: (m, fresh, t, savedAt) => recall(s, anchor, m, { fresh, savedAt }, t),
  };
}

/** Milliseconds until `amount` tokens are free at `level`; `Infinity` while a probe waits for landings. */
function waitFor(s: BucketState, anchor: ReportAnchor, level: number, amount: number, t: number): number {
  const { cap, burst } = s;
  // A little kept back (what `jitterMs` refills): calls sent in step reach the vendor unevenly.
  const want = Math.max(Math.min(amount, cap), Math.min(cap, burst, amount + Math.min(1, s.ratePerMs * s.jitterMs)));
  const need = want - level;
  // Probing a limit nobody stated: no more out at once than it has proven, until calls land.
  if (s.probing && !s.proven && s.pending + Math.min(amount, cap) > burst) return Infinity;
  if (need <= 0) return 0;
  const paced = withCredit(s, want, (want - s.level) / s.ratePerMs, t);
  return Math.ceil(anchor.paces ? Math.min(anchor.waitMs(want, t), paced) : paced);
}

/** A call landed: what it really used replaces what was taken for it. */
function land(s: BucketState, c: { held: number; used: number; sentAt: number | undefined; seq: number | undefined }, t: number): void {
  refill(s, t);
  s.pending = Math.max(0, s.pending - c.held);
  s.level = Math.min(s.burst, s.level + c.held - c.used);
  const sent = c.seq === undefined ? undefined : s.sends.find((x) => x.seq === c.seq);
  if (sent) [sent.n, sent.landed] = [c.used, true];
  if (c.sentAt !== undefined && c.used > 0) s.est.counted(c.sentAt, c.used);
}

/** Starts from a remembered state: as truth when fresh, else as a cautious hint. */
function recall(s: BucketState, anchor: ReportAnchor, m: BucketMemory, o: { fresh: boolean; savedAt: number }, t: number): void {
  const { fresh } = o;
  refill(s, t);
  s.cap = m.capacity;
  s.statedCap = s.guessed ? s.cap : Math.max(s.statedCap, s.cap);
  s.evidence.reset(s.statedCap);
  anchor.forget();
  s.ratePerMs = fresh ? m.ratePerMs : m.ratePerMs / 2;
  s.fullRate = m.ratePerMs;
  s.provable = fresh && m.proven ? s.ratePerMs : 0;
  s.proven = fresh && m.proven;
  s.slowStart = !fresh || m.slowStart;
  s.burst = fresh ? Math.min(s.cap, m.burst) : Math.max(1, Math.floor(Math.min(s.cap, m.burst) / 2));
  // Fresh: the vendor's bucket has refilled at least this much since it was saved (empty at worst).
  s.level = fresh ? Math.min(s.burst, Math.max(s.level, Math.max(0, t - o.savedAt) * s.ratePerMs)) : Math.min(s.level, s.burst);
}
