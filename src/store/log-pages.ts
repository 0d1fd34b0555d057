/** Rows per page of a long read (exports): one indexed range query each, nothing held in between. */
export const LOG_PAGE_ROWS = 500;

/**
 * Reads a long ordered result page by page (keyset pagination): `page(after)` returns the next
 * rows after the last one seen, in order. Works the same on every SQL backend (no server cursor, no
 * connection held between pages), and each page starts from an index position, never an offset.
 */
export async function* keysetPages<R>(page: (after: R | undefined) => Promise<R[]>, size = LOG_PAGE_ROWS): AsyncIterable<R> {
  let after: R | undefined;
  for (;;) {
    const rows = await page(after);
    yield* rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1];
  }
}
