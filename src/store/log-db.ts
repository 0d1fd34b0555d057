import { Migrator, type Kysely } from 'kysely';
import { HiveError } from '../errors.ts';
import { logMigrations } from './log-migrations.ts';
import type { LogTables } from './log-schema.ts';

/** The SQL log store's connection, migrated to the current schema. */
export type LogDb = Kysely<LogTables>;

/** Applies pending migrations; every backend runs the same ones. */
export async function migrateLogDb(db: LogDb): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: logMigrations }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new HiveError(
      'log_store_migration_failed',
      `Could not migrate the log database (migration ${failed}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
