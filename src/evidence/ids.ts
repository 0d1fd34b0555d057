import { monotonicFactory } from 'ulid';
import { randomBytes } from 'node:crypto';

const next = monotonicFactory();

/** Sortable, URL-safe ids (ULID) for evidence records: time-ordered, unguessable suffix. */
export function newEvidenceId(now = Date.now()): string {
  return next(now);
}

/** Short id for an error, quoted to the user and logged with the full error. */
export function newErrorId(): string {
  return `E${randomBytes(5).toString('hex').toUpperCase()}`;
}
