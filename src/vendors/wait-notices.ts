import type { Clock } from '../clock.ts';
import { formatWait } from './pacer-errors.ts';
import type { Vendor } from '../types.ts';
import { VENDOR_INFO } from './vendor-info.ts';

/** A long wait the user should hear about while it lasts. */
export interface WaitNotice {
  vendor: Vendor;
  /** The estimated wait left; 0 when the lane cannot say (e.g. it waits for calls in flight). */
  waitMs: number;
  /** e.g. "Waiting for OpenAI's rate limit, about 12 s". */
  text: string;
}

/**
 * Tells the requester why nothing is happening: at once when a wait is known to be long, else
 * once the job's waits (lane queue, 429 retries) have added up to `afterMs` without a word.
 */
export interface WaitNotices {
  /** A wait begins; `estimateMs` is what the lane or the vendor expects it to take. */
  begin(vendor: Vendor, estimateMs: number): void;
  /** The lane re-estimated the wait (after a 429 or learned limits). */
  update(estimateMs: number): void;
  /** The wait is over (the call starts, or the job moves on). */
  end(): void;
}

export function createWaitNotices(clock: Clock, afterMs: number, tell: ((n: WaitNotice) => void) | undefined): WaitNotices {
  let waited = 0;
  let current: { vendor: Vendor; since: number; estimate: number; at: number; timer: AbortController } | undefined;
  let told = -Infinity;
  const say = (vendor: Vendor, waitMs: number) => {
    told = clock.now();
    const about = waitMs >= 1000 ? `, about ${formatWait(waitMs)}` : '';
    tell?.({ vendor, waitMs, text: `Waiting for ${VENDOR_INFO[vendor].label}'s rate limit${about}` });
  };
  const left = (c: NonNullable<typeof current>) => Math.max(0, c.estimate - (clock.now() - c.at));
  const arm = (c: NonNullable<typeof current>) => {
    const due = Math.max(0, afterMs - waited - (clock.now() - c.since), told + afterMs - clock.now());
    clock.sleep(due, c.timer.signal).then(
      () => {
        if (current === c) say(c.vendor, left(c));
      },
      () => undefined,
    );
  };
  return {
    begin(vendor, estimateMs) {
      if (!tell) return;
      current = { vendor, since: clock.now(), estimate: estimateMs, at: clock.now(), timer: new AbortController() };
      if (estimateMs >= afterMs) say(vendor, estimateMs);
      else arm(current);
    },
    update(estimateMs) {
      if (!current) return;
      const grew = estimateMs >= afterMs && estimateMs > left(current) * 1.5 + 1000;
      current.estimate = estimateMs;
      current.at = clock.now();
      if (grew) say(current.vendor, estimateMs);
    },
    end() {
      if (!current) return;
      waited += clock.now() - current.since;
      current.timer.abort('ended'); // a constant reason: no AbortError built per wait
      current = undefined;
    },
  };
}
