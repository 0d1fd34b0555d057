import { withStatementCache } from './sqlite/statement-cache.ts';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { HiveError } from '../../src/shared/errors.ts';
import { migrateLogDb, type LogDb } from '../../src/store/log-db.ts';
import type { LogTables } from '../../src/store/log-schema.ts';
import { withOutageWait, type OutageWaitOptions } from '../../src/store/outage-wait.ts';
import { openPostgresLogDb } from './postgres/open-postgres-log-db.ts';
import { sqliteOutage } from './outage-signs.ts';

/** How an open log database rides out a short outage (see `withOutageWait`); none by default. */
export type OutageWait = Omit<OutageWaitOptions, 'signs'>;

/**
 * How long SQLite itself waits for another process's lock, blocking the thread: short, so the event
 * loop keeps answering (acks, other jobs) while the outage wait retries between these.
 */
const SQLITE_BUSY_MS = 200;

/**
 * Opens the log database named by `url` (`sqlite://<file>`, `memory://`, or `postgres://…` /
 * `postgresql://…`) and applies pending migrations. SQLite runs in WAL mode with
 * `synchronous=NORMAL`: a commit survives a process crash (kill -9) without waiting for an fsync;
 * only a power loss can drop the last commits.
 */
export async function openLogDb(url: string, outage?: OutageWait): Promise<LogDb> {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresLogDb(url, outage ? { outage } : {});
  const file = sqliteFile(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file, { timeout: outage ? SQLITE_BUSY_MS : 5000 });
  } catch (cause) {
    throw new HiveError('log_store_unavailable', `HIVE_DATABASE_URL: cannot open ${file} (${cause instanceof Error ? cause.message : String(cause)})`, {
      cause,
    });
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const dialect = new SqliteDialect({ database: withStatementCache(raw) });
  const db = new Kysely<LogTables>({ dialect: outage ? withOutageWait(dialect, { ...outage, signs: sqliteOutage }) : dialect });
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
