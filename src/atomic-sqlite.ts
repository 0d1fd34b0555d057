import sqlite3 from 'sqlite3';
import type { AtomicOps } from './atomic.ts';

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
  await all('CREATE TABLE IF NOT EXISTS hive_counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL)');
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
    async addWithin(key, delta, cap) {
      const limit = cap === undefined || delta <= 0 ? null : cap;
      const rows = await all(
        `INSERT INTO hive_counters(key, n) SELECT ?1, ?2 WHERE ?3 IS NULL OR ?2 <= ?3
         ON CONFLICT(key) DO UPDATE SET n = hive_counters.n + excluded.n
           WHERE ?3 IS NULL OR hive_counters.n + excluded.n <= ?3
         RETURNING n`,
        key,
        Math.round(delta),
        limit,
      );
      return rows.length === 1 ? Number(rows[0]!.n) : undefined;
    },
    async addMany(entries) {
      if (entries.length === 0) return;
      const values = entries.map((_, i) => `(?${2 * i + 1}, ?${2 * i + 2})`).join(', ');
      await all(
        `INSERT INTO hive_counters(key, n) VALUES ${values} ON CONFLICT(key) DO UPDATE SET n = hive_counters.n + excluded.n`,
        ...entries.flatMap(([k, d]) => [k, Math.round(d)]),
      );
    },
    async read(key) {
      const rows = await all('SELECT n FROM hive_counters WHERE key = ?1', key);
      return rows.length === 1 ? Number(rows[0]!.n) : 0;
    },
    async sweep() {
      await all('DELETE FROM hive_claims WHERE expires <= ?1', Date.now());
    },
    close: () => new Promise<void>((resolve) => db.close(() => resolve())),
  };
}
