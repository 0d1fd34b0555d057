import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * PostgreSQL differs in two words: it has no `autoincrement` (an identity column is the same
 * ever-growing id), and its `integer` is 32-bit where SQLite's is 64-bit (so `bigint` there).
 */
export const onPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;
/** The column type of a 64-bit integer on the database in use. */
export const int = (db: Kysely<unknown>) => (onPostgres(db) ? 'bigint' : 'integer');
