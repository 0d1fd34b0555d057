import type Keyv from 'keyv';

/** Entries per page when the one-time import walks an old namespace. */
const PAGE = 1000;

/**
 * Widens the pages of a keyed store's iterator for the one pass over an old namespace.
 * `@keyv/sqlite` pages with LIMIT/OFFSET, 10 entries at a time by default, so every page rescans
 * all the rows before it and a pass grows with the square of the namespace; other adapters (Redis
 * scans with a cursor) are left alone.
 */
export function widenIterationPages(keyv: Keyv): void {
  const opts = (keyv.store as { opts?: { dialect?: unknown; iterationLimit?: unknown } } | undefined)?.opts;
  if (opts?.dialect === 'sqlite') opts.iterationLimit = PAGE;
}
