import { monotonicFactory } from 'ulid';
import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Cryptographically random fractions in [0, 1) for ULID characters, read from a pooled buffer:
 * ulid's default asks the system for one byte per character (16 calls per id).
 */
function pooledRandom(poolSize = 4096): () => number {
  const pool = Buffer.alloc(poolSize);
  let at = poolSize;
  return () => {
    if (at >= poolSize) {
      randomFillSync(pool);
      at = 0;
    }
    return pool[at++]! / 256;
  };
}

const next = monotonicFactory(pooledRandom());

/** Sortable, URL-safe ids (ULID) for evidence records: time-ordered, unguessable suffix. */
export function newEvidenceId(now = Date.now()): string {
  return next(now);
}

/** Short id for an error, quoted to the user and logged with the full error. */
export function newErrorId(): string {
  return `E${randomBytes(5).toString('hex').toUpperCase()}`;
}
