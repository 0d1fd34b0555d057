import type { Clock } from '../shared/clock.ts';
import { formatWait } from './pacer-errors.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';
import type { WaitOwner } from './token-bucket.ts';

/** A long wait the user should hear about while it lasts. */
export interface WaitNotice {
  vendor: Vendor;
  /** The estimated wait left; 0 when the pace cannot say (e.g. it waits for calls in flight). */
  waitMs: number;
  /** e.g. "Waiting for OpenAI's rate limit, about 12 s". */
  text: string;
  /** Whose limit it is: the vendor's, an admin's, or Hive's own caution or default. */
  owner: WaitOwner;
}

/**
 * Tells the requester why nothing is happening: at once when a wait is known to be long, else
 * once the job's waits (pace queue, 429 retries) have added up to `afterMs` without a word.
 */
export interface WaitNotices {
  /** A wait begins; `estimateMs` is what the pace or the vendor expects it to take; `owner`, whose limit it is. */
  begin(vendor: Vendor, estimateMs: number, owner?: WaitOwner): void;
  /** The pace re-estimated the wait (after a 429 or learned limits), and perhaps whose limit it is now. */
  update(estimateMs: number, owner?: WaitOwner): void;
  /** The wait is over (the call starts, or the job moves on). */
  end(): void;
}

export function createWaitNotices(clock: Clock, afterMs: number, tell: ((n: WaitNotice) => void) | undefined): WaitNotices {
  let waited = 0;
  let current: { vendor: Vendor; owner: WaitOwner; since: number; estimate: number; at: number; timer: AbortController } | undefined;
  let told = -Infinity;
  const say = (vendor: Vendor, waitMs: number, owner: WaitOwner) => {
    told = clock.now();
    // A cautious start cannot say how long: it has not learned the key's limits yet.
    const about = waitMs >= 1000 && owner !== 'cautious' ? `, about ${formatWait(waitMs)}` : '';
    tell?.({ vendor, waitMs, owner, text: `${waitWords(vendor, owner)}${about}` });
  };
  const left = (c: NonNullable<typeof current>) => Math.max(0, c.estimate - (clock.now() - c.at));
  const arm = (c: NonNullable<typeof current>) => {
    const due = Math.max(0, afterMs - waited - (clock.now() - c.since), told + afterMs - clock.now());
    clock.sleep(due, c.timer.signal).then(
      () => {
        if (current === c) say(c.vendor, left(c), c.owner);
      },
      () => undefined,
    );
  };
  return {
    begin(vendor, estimateMs, owner = 'vendor') {
      if (!tell) return;
      current = { vendor, owner, since: clock.now(), estimate: estimateMs, at: clock.now(), timer: new AbortController() };
      if (estimateMs >= afterMs) say(vendor, estimateMs, owner);
      else arm(current);
    },
    update(estimateMs, owner) {
      if (!current) return;
      const grew = estimateMs >= afterMs && estimateMs > left(current) * 1.5 + 1000;
      const changed = owner !== undefined && owner !== current.owner;
      current.estimate = estimateMs;
      current.at = clock.now();
      if (owner) current.owner = owner;
      // Said again when it grew much, or when it turned out to be someone else's limit (a first answer's headers).
      if (grew || (changed && estimateMs >= afterMs && clock.now() - told >= 0)) say(current.vendor, estimateMs, current.owner);
    },
    end() {
      if (!current) return;
      waited += clock.now() - current.since;
      current.timer.abort('ended'); // a constant reason: no AbortError built per wait
      current = undefined;
    },
  };
}

/** Who the user waits for, in their words: the vendor's limit, or Hive's own caution or ceiling, and what an admin can do. */
function waitWords(vendor: Vendor, owner: WaitOwner): string {
  const label = VENDOR_INFO[vendor].label;
  if (owner === 'admin') return `Waiting for the limit an admin set for ${label}`;
  if (owner === 'cautious') return `Hive is starting gently with ${label} while it learns this key's limits`;
  if (owner === 'default') return `Waiting for Hive's default limit for ${label} (an admin can set the key's own with \`/hive lanes limits ${vendor} …\`)`;
  return `Waiting for ${label}'s rate limit`;
}
