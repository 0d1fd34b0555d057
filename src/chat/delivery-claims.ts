import { createHash } from 'node:crypto';
import type { AtomicOps } from '../store/atomic.ts';

/** Claims on a delivery (an event, a trigger), so a platform's retry or a replay does its work once. */
export interface DeliveryClaims {
  /** The stored claim key: `<platform>:<kind>:<id>`, the id digested when long. */
  keyOf(kind: string, id: string): string;
  /**
   * True only for the first claim of this delivery within `ttlMs`, on every replica sharing the
   * store; also true when the store cannot say in time (see `ClaimsOptions`).
   */
  claim(kind: string, id: string, ttlMs: number): Promise<boolean>;
}

export interface ClaimsOptions {
  /**
   * How long a claim may wait for the store. Past it (or when the store fails) the delivery is
   * handled unclaimed: the platform's deadline and the user's answer come before a rare repeat,
   * which the queue's job ids and the outbox still absorb. Default 1 s.
   */
  deadlineMs?: number;
  /** Told when a delivery goes ahead unclaimed, and why. */
  onUnclaimed?: (key: string, err: unknown) => void;
}

/** A claim's wait for the store when none is given: well inside Slack's and Discord's 3 s. */
export const CLAIM_DEADLINE_MS = 1_000;

/** Delivery claims of one platform, made atomically in the store before any work. */
export function createDeliveryClaims(atomic: Pick<AtomicOps, 'claim'>, platform: string, o: ClaimsOptions = {}): DeliveryClaims {
  const keyOf = (kind: string, id: string) => `${platform}:${kind}:${bounded(id)}`;
  return { keyOf, claim: (kind, id, ttlMs) => claimWithin(atomic, keyOf(kind, id), ttlMs, o) };
}

/** `atomic.claim` bounded by the deadline; a store that fails or is late lets the delivery through. */
export async function claimWithin(atomic: Pick<AtomicOps, 'claim'>, key: string, ttlMs: number, o: ClaimsOptions = {}): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), o.deadlineMs ?? CLAIM_DEADLINE_MS);
  });
  const made = atomic.claim(key, ttlMs);
  try {
    const first = await Promise.race([made, late]);
    if (first !== 'late') return first;
    made.catch(() => undefined);
    o.onUnclaimed?.(key, new Error('the store did not answer in time'));
    return true;
  } catch (err) {
    o.onUnclaimed?.(key, err);
    return true;
  } finally {
    clearTimeout(timer);
  }
}

/** Platform ids are short; anything longer is stored by digest, so a claim key stays small. */
function bounded(id: string): string {
  return id.length <= 128 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}
