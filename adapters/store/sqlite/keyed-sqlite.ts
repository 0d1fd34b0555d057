import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HiveError } from '../../../src/shared/errors.ts';

/** The keyed-value table; the name and the key/value columns are those @keyv/sqlite wrote, so old data folders keep working. */
export const TABLE = 'hive';

/** Rows one sweep statement deletes: a short write lock, so other writers interleave between batches. */
export const SWEEP_BATCH = 500;

/**
 * Opens (creating if needed) the keyed-value database: WAL with `synchronous=NORMAL` (a commit
 * survives a process crash without waiting for an fsync), a busy timeout for other processes
 * sharing the file, and the schema migrated in place.
 */
export function openKeyedSqlite(file: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateKeyedSqlite(db);
  } catch (cause) {
    throw new HiveError('store_unavailable', `HIVE_STORE_URL: cannot open ${file} (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  return db;
}

/**
 * Brings the schema up to date in one immediate transaction (so two processes opening the same old
 * file migrate it once): an `expires` column, backfilled from each serialized value's `expires`
 * and indexed, lets expired entries be deleted by an indexed range instead of a walk.
 */
export function migrateKeyedSqlite(db: Database.Database): void {
  const migrate = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE}(key VARCHAR(255) PRIMARY KEY, value TEXT, expires INTEGER)`);
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${TABLE}')`).all();
    if (!columns.some((c) => c.name === 'expires')) {
      db.exec(`ALTER TABLE ${TABLE} ADD COLUMN expires INTEGER`);
      db.exec(
        `UPDATE ${TABLE} SET expires = json_extract(value, '$.expires') WHERE json_valid(value) AND json_type(value, '$.expires') IN ('integer', 'real')`,
      );
    }
    db.exec(`CREATE INDEX IF NOT EXISTS ${TABLE}_expires ON ${TABLE}(expires) WHERE expires IS NOT NULL`);
    db.exec('CREATE TABLE IF NOT EXISTS hive_claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL)');
    db.exec('CREATE INDEX IF NOT EXISTS hive_claims_expires ON hive_claims(expires)');
  });
  migrate.immediate();
}

/**
 * Deletes the rows of `table` whose `expires` has passed, `SWEEP_BATCH` at a time through the
 * expires index, yielding to the event loop between batches. Returns how many rows went.
 */
export async function sweepExpired(db: Database.Database, table: typeof TABLE | 'hive_claims', now: () => number = Date.now): Promise<number> {
  const index = `${table}_expires`;
  const del = db.prepare<[number, number]>(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} INDEXED BY ${index} WHERE expires <= ? LIMIT ?)`);
  let removed = 0;
  for (;;) {
    if (!db.open) return removed;
    const { changes } = del.run(now(), SWEEP_BATCH);
    removed += changes;
    if (changes < SWEEP_BATCH) return removed;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
