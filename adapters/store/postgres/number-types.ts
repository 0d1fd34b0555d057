import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

/** Parses a bigint or numeric text as a number, refusing integers a double cannot hold exactly. */
function toNumber(text: string): number {
  const n = Number(text);
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) throw new RangeError(`PostgreSQL value ${text} is past JavaScript's exact integer range`);
  return n;
}

/**
 * Type parsers for one pool: node-postgres returns `bigint` (counts, sums of integers, nano-dollar
 * columns) and `numeric` (sums of bigints) as strings; the log store's callers expect numbers, as
 * SQLite gives them. Set per pool, never on the global `pg.types`, so other users of `pg` are untouched.
 */
export function numberTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8, toNumber);
  types.setTypeParser(NUMERIC, toNumber);
  return types;
}
