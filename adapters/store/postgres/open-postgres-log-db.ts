import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateLogDb, type LogDb } from '../../../src/store/log-db.ts';
import type { LogTables } from '../../../src/store/log-schema.ts';
import { connectFailure } from './connect-failure.ts';
import { numberTypes } from './number-types.ts';
import { withOutageWait, type OutageWaitOptions } from '../../../src/store/outage-wait.ts';
import { postgresOutage } from '../outage-signs.ts';

/** How long start-up waits for PostgreSQL to answer before it stops with the reason. */
export const POSTGRES_CONNECT_DEADLINE_MS = 5000;

/**
 * Opens the log store on PostgreSQL (`postgres://` or `postgresql://`) over a pool, proves the
 * server answers within the deadline, and applies pending migrations. Numbers come back as numbers.
 */
export async function openPostgresLogDb(
  url: string,
  opts: { deadlineMs?: number; maxConnections?: number; outage?: Omit<OutageWaitOptions, 'signs'> } = {},
): Promise<LogDb> {
  const deadlineMs = opts.deadlineMs ?? POSTGRES_CONNECT_DEADLINE_MS;
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: deadlineMs,
    max: opts.maxConnections ?? 10,
    types: numberTypes(),
    application_name: 'hive',
  });
  // A pooled idle connection that breaks (server restart) is dropped and replaced on next use; the
  // query that needed it reports the failure. Without a listener the event would end the process.
  pool.on('error', () => undefined);
  // The same for a connection in use when the server goes away (a restart mid-transaction): the
  // statement on it fails, and nothing may end the process.
  pool.on('connect', (client) => void client.on('error', () => undefined));
  await probe(pool, url, deadlineMs);
  const dialect = new PostgresDialect({ pool });
  const db = new Kysely<LogTables>({ dialect: opts.outage ? withOutageWait(dialect, { ...opts.outage, signs: postgresOutage }) : dialect });
  try {
    await migrateLogDb(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}

/** One round trip within the deadline, so a wrong URL stops start-up at once and says what to check. */
async function probe(pool: pg.Pool, url: string, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${deadlineMs / 1000} s`), { code: 'timeout' })), deadlineMs);
  });
  const query = pool.query('select 1');
  try {
    await Promise.race([query, deadline]);
  } catch (e) {
    query.catch(() => undefined);
    void pool.end().catch(() => undefined);
    throw connectFailure(url, e, deadlineMs);
  } finally {
    clearTimeout(timer);
  }
}
