import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { LegacyCounters } from '../../../src/store/store.ts';

const HAS_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hive_counters'";

/**
 * The budget counters releases before the SQL log store kept in the `hive_counters` table of the
 * keyed store's SQLite file (nano-dollars per scope and month). Read once, read-only, before the
 * keyed store opens the file: two SQLite libraries (this one and the keyed store's) sharing an open
 * file in one process break each other's POSIX locks, so this one never touches it later.
 */
export function createSqliteLegacyCounters(file: string): LegacyCounters {
  const rows = readCounters(file);
  return {
    async *entries() {
      yield* rows;
    },
    // The table is left in place, inert: dropping it would be a write through a second SQLite
    // library while the keyed store has the file open. The import marker keeps it from being read again.
    async clear() {},
  };
}

function readCounters(file: string): [string, number][] {
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    if (!db.prepare(HAS_TABLE).get()) return [];
    const rows = db.prepare('SELECT key, n FROM hive_counters ORDER BY key').all() as { key: string; n: number | bigint }[];
    return rows.map((r) => [r.key, Number(r.n)]);
  } finally {
    db.close();
  }
}
