import type Database from 'better-sqlite3';
import type { AtomicOps } from '../../../src/store/atomic.ts';
import { openKeyedSqlite, sweepExpired } from './keyed-sqlite.ts';

/**
 * SQLite claims: each claim is one statement, so it is atomic across processes sharing the file.
 * Given the keyed store's connection they share it (the store closes it); given a file, they open
 * and close their own.
 */
export async function createSqliteAtomic(source: Database.Database | string, now: () => number = Date.now): Promise<AtomicOps> {
  const owned = typeof source === 'string';
  const db = owned ? openKeyedSqlite(source) : source;
  const claim = db.prepare<[string, number, number], { key: string }>(
    `INSERT INTO hive_claims(key, expires) VALUES(?, ?)
     ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE hive_claims.expires <= ?
     RETURNING key`,
  );
  return {
    async claim(key, ttlMs) {
      const t = now();
      return claim.all(key, t + ttlMs, t).length === 1;
    },
    async sweep() {
      await sweepExpired(db, 'hive_claims', now);
    },
    async close() {
      if (owned) db.close();
    },
  };
}
