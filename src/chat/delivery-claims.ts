import { createHash } from 'node:crypto';
import type { AtomicOps } from '../store/atomic.ts';

/** Claims on a delivery (an event, a trigger), so a platform's retry or a replay does its work once. */
export interface DeliveryClaims {
  /** The stored claim key: `<platform>:<kind>:<id>`, the id digested when long. */
  keyOf(kind: string, id: string): string;
  /** True only for the first claim of this delivery within `ttlMs`, on every replica sharing the store. */
  claim(kind: string, id: string, ttlMs: number): Promise<boolean>;
}

/** Delivery claims of one platform, made atomically in the store before any work. */
export function createDeliveryClaims(atomic: Pick<AtomicOps, 'claim'>, platform: string): DeliveryClaims {
  const keyOf = (kind: string, id: string) => `${platform}:${kind}:${bounded(id)}`;
  return { keyOf, claim: (kind, id, ttlMs) => atomic.claim(keyOf(kind, id), ttlMs) };
}

/** Platform ids are short; anything longer is stored by digest, so a claim key stays small. */
function bounded(id: string): string {
  return id.length <= 128 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}
