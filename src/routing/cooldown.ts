import type { Clock } from '../shared/clock.ts';
import type { VendorErrorKind } from '../shared/errors.ts';
import type { Vendor } from '../shared/provider-spec.ts';

/** Failures that say the vendor itself is unwell (not our request, not our key, not our pace). */
const SICK: readonly VendorErrorKind[] = ['overloaded', 'server', 'timeout', 'stream_cut', 'bad_response', 'network'];

/** Takes a vendor that keeps failing out of rotation for a while, per workspace. */
export interface Cooldowns {
  failure(ws: string, vendor: Vendor, kind: VendorErrorKind): void;
  success(ws: string, vendor: Vendor): void;
  /** Milliseconds left in the vendor's cooldown (0 when usable). */
  remaining(ws: string, vendor: Vendor): number;
}

export interface CooldownPolicy {
  /** Consecutive failures that trip a cooldown. */
  threshold: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_COOLDOWN: CooldownPolicy = { threshold: 3, baseMs: 30_000, maxMs: 5 * 60_000 };

export function createCooldowns(clock: Clock, policy: CooldownPolicy = DEFAULT_COOLDOWN): Cooldowns {
  const state = new Map<string, { fails: number; trips: number; until: number }>();
  const get = (ws: string, v: Vendor) => {
    const k = `${ws}|${v}`;
    let s = state.get(k);
    if (!s) state.set(k, (s = { fails: 0, trips: 0, until: 0 }));
    return s;
  };
  return {
    failure(ws, vendor, kind) {
      if (!SICK.includes(kind)) return;
      const s = get(ws, vendor);
      s.fails++;
      if (s.fails >= policy.threshold) {
        s.until = clock.now() + Math.min(policy.maxMs, policy.baseMs * 2 ** s.trips);
        s.trips++;
        s.fails = 0;
      }
    },
    success(ws, vendor) {
      const s = get(ws, vendor);
      s.fails = 0;
      s.trips = 0;
    },
    remaining(ws, vendor) {
      return Math.max(0, get(ws, vendor).until - clock.now());
    },
  };
}
