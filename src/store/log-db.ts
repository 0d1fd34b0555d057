import { Migrator, PostgresAdapter, sql, type Kysely } from 'kysely';
import { HiveError } from '../shared/errors.ts';
import { logMigrations } from './log-migrations.ts';
import type { LogTables } from './log-schema.ts';

/** The SQL log store's connection, migrated to the current schema. */
export type LogDb = Kysely<LogTables>;

/** Applies pending migrations; every backend runs the same ones. */
export async function migrateLogDb(db: LogDb): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: logMigrations, ...(await migrationTableSchema(db)) }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new HiveError(
      'log_store_migration_failed',
      `Could not migrate the log database (migration ${failed}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * On PostgreSQL, the schema the tables go to (the first of `search_path`), named to the Migrator:
 * otherwise it takes another schema's migration tables in the same database for its own.
 */
async function migrationTableSchema(db: LogDb): Promise<{ migrationTableSchema?: string }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return {};
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema)
    throw new HiveError(
      'log_store_migration_failed',
      'The log database has no schema to create its tables in: set search_path to an existing schema (e.g. public).',
    );
  return { migrationTableSchema: schema };
}
