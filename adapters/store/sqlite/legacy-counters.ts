import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { LegacyCounters } from '../../../src/store/store.ts';

const HAS_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hive_counters'";

/**
 * The budget counters releases before the SQL log store kept in the `hive_counters` table of the
 * keyed store's SQLite file (nano-dollars per scope and month); opened only while the import reads them.
 */
export function createSqliteLegacyCounters(file: string): LegacyCounters {
  const withDb = <T>(empty: T, use: (db: Database.Database) => T): T => {
    if (!fs.existsSync(file)) return empty;
    const db = new Database(file, { timeout: 5000 });
    try {
      return db.prepare(HAS_TABLE).get() ? use(db) : empty;
    } finally {
      db.close();
    }
  };
  return {
    async *entries() {
      const rows = withDb([] as { key: string; n: number | bigint }[], (db) => db.prepare('SELECT key, n FROM hive_counters ORDER BY key').all() as { key: string; n: number }[]);
      for (const r of rows) yield [r.key, Number(r.n)];
    },
    async clear() {
      withDb(undefined, (db) => void db.exec('DROP TABLE hive_counters'));
    },
  };
}
