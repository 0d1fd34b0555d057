import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept prepared; the hot path uses a handful, the rest are one-off reads. */
const MAX_STATEMENTS = 200;

/**
 * The database as Kysely's SQLite dialect sees it, with prepared statements reused: Kysely asks
 * for a new statement on every query, and preparing (parsing and planning the SQL) was the largest
 * single cost of an answer's booking. A statement still running (an iterator) is never handed out
 * twice; the least recently used are dropped past MAX_STATEMENTS.
 */
export function withStatementCache(raw: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(source: string): SqliteStatement {
      const hit = cache.get(source);
      if (hit && !hit.busy) {
        cache.delete(source); // re-insert: most recently used last
        cache.set(source, hit);
        return hit as unknown as SqliteStatement;
      }
      const stmt = raw.prepare(source);
      if (!hit) {
        cache.set(source, stmt);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}
