import sqlite3 from 'sqlite3';
import type { AtomicOps } from '../../../src/store/atomic.ts';

type Row = Record<string, unknown>;

/** SQLite implementation: each operation is one statement, atomic across processes sharing the file. */
export async function createSqliteAtomic(file: string): Promise<AtomicOps> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  db.configure('busyTimeout', 5000);
  const all = (sql: string, ...params: unknown[]) =>
    new Promise<Row[]>((resolve, reject) => db.all(sql, params, (err: Error | null, rows: Row[]) => (err ? reject(err) : resolve(rows))));
  await all('PRAGMA journal_mode=WAL');
  await all('PRAGMA synchronous=NORMAL');
  await all('CREATE TABLE IF NOT EXISTS hive_claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL)');
  return {
    async claim(key, ttlMs) {
      const now = Date.now();
      const rows = await all(
        `INSERT INTO hive_claims(key, expires) VALUES(?1, ?2)
         ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE hive_claims.expires <= ?3
         RETURNING key`,
        key,
        now + ttlMs,
        now,
      );
      return rows.length === 1;
    },
    async sweep() {
      await all('DELETE FROM hive_claims WHERE expires <= ?1', Date.now());
    },
    close: () => new Promise<void>((resolve) => db.close(() => resolve())),
  };
}
