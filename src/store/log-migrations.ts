import type { Migration, MigrationProvider } from 'kysely';
import { BOOKS_MIGRATIONS } from './log-migrations-books.ts';
import { DURABILITY_MIGRATIONS } from './log-migrations-durability.ts';
import { SCALE_OUT_MIGRATIONS } from './log-migrations-scale-out.ts';
import { ACTION_MIGRATIONS } from './log-migrations-actions.ts';
import { LANE_MIGRATIONS } from './log-migrations-lanes.ts';

/**
 * Schema changes in order. A released migration is only followed by another, never changed in what
 * it makes on a database that already ran it (0001 gained a PostgreSQL branch; its SQLite schema is
 * unchanged).
 */
const MIGRATIONS: Record<string, Migration> = {
  ...BOOKS_MIGRATIONS,
  ...SCALE_OUT_MIGRATIONS,
  ...DURABILITY_MIGRATIONS,
  ...ACTION_MIGRATIONS,
  ...LANE_MIGRATIONS,
};

/** Hands Kysely's Migrator the migrations compiled into the program (no files to find at run time). */
export const logMigrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
