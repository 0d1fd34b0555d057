import { withStatementCache } from './sqlite/statement-cache.ts';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { HiveError } from '../../src/errors.ts';
import { migrateLogDb, type LogDb } from '../../src/store/log-db.ts';
import type { LogTables } from '../../src/store/log-schema.ts';
import { openPostgresLogDb } from './postgres/open-postgres-log-db.ts';

/**
 * Opens the log database named by `url` (`sqlite://<file>`, `memory://`, or `postgres://…` /
 * `postgresql://…`) and applies pending migrations. SQLite runs in WAL mode with
 * `synchronous=NORMAL`: a commit survives a process crash (kill -9) without waiting for an fsync;
 * only a power loss can drop the last commits.
 */
export async function openLogDb(url: string): Promise<LogDb> {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresLogDb(url);
  const file = sqliteFile(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file, { timeout: 5000 });
  } catch (cause) {
    throw new HiveError('log_store_unavailable', `HIVE_DATABASE_URL: cannot open ${file} (${cause instanceof Error ? cause.message : String(cause)})`, {
      cause,
    });
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const db = new Kysely<LogTables>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  await migrateLogDb(db);
  return db;
}

function sqliteFile(url: string): string {
  if (url.startsWith('memory:')) return ':memory:';
  if (url.startsWith('sqlite://')) return url.slice('sqlite://'.length);
  throw new HiveError(
    'log_store_unsupported',
    `HIVE_DATABASE_URL: unsupported database "${url.split(':')[0]}:"; use sqlite://<file>, memory:// or postgres://<user>:<password>@<host>:<port>/<database>`,
  );
}
