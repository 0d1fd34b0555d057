import { sql, type Kysely, type Migration } from 'kysely';
import { int, onPostgres } from './migration-dialect.ts';

/** The log store's first release: ledger, evidence and budget counters, then daily totals and estimated calls. */
export const BOOKS_MIGRATIONS: Record<string, Migration> = {
  '0001_ledger_evidence_budgets': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger')
        .addColumn('id', int(db), (c) => (onPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('vendor', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('input_tokens', int(db), (c) => c.notNull())
        .addColumn('output_tokens', int(db), (c) => c.notNull())
        .addColumn('cache_read_tokens', int(db), (c) => c.notNull())
        .addColumn('cache_write_tokens', int(db), (c) => c.notNull())
        .addColumn('reasoning_tokens', int(db), (c) => c.notNull())
        .addColumn('cost_nano', 'bigint')
        .addColumn('evidence_id', 'text', (c) => c.notNull())
        .execute();
      // A SQLite index ends in the rowid (here `id`) by itself; PostgreSQL's names it, so export pages in
      // (at, id) order read the index in order on both.
      const ledgerIndex = onPostgres(db) ? ['workspace_id', 'at', 'id'] : ['workspace_id', 'at'];
      await db.schema.createIndex('ledger_workspace_at').on('ledger').columns(ledgerIndex).execute();
      await db.schema
        .createTable('evidence')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('content', 'text')
        .addColumn('content_expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('evidence_created_at').on('evidence').column('created_at').execute();
      await db.schema.createIndex('evidence_content_expires_at').on('evidence').column('content_expires_at').execute();
      await db.schema
        .createTable('budget_counters')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('settled', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('held', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('budget_holds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('keys', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('budget_holds_expires_at').on('budget_holds').column('expires_at').execute();
      await db.schema.createIndex('budget_holds_owner').on('budget_holds').column('owner').execute();
    },
  },
  '0002_evidence_pending_content': {
    // Expiry only looks for content not yet cleared: a partial index holds just those rows, so each
    // sweep reads what it clears instead of every cleared row of the last 400 days again.
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('evidence_content_pending').on('evidence').column('content_expires_at').where(sql.ref('content'), 'is not', null).execute();
      await db.schema.dropIndex('evidence_content_expires_at').execute();
    },
  },
  '0003_ledger_rollups': {
    // Daily totals of closed days per dimension (model, user, channel), so a month's usage reads a few
    // hundred rows instead of every call of the month; the days a workspace has rolled up are listed
    // apart, an empty day included, so a day is never rolled up twice.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger_rollup')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('day', 'bigint', (c) => c.notNull())
        .addColumn('dim', 'text', (c) => c.notNull())
        .addColumn('k1', 'text', (c) => c.notNull())
        .addColumn('k2', 'text', (c) => c.notNull())
        .addColumn('calls', 'bigint', (c) => c.notNull())
        .addColumn('cost_nano', 'bigint', (c) => c.notNull())
        .addColumn('input_tokens', 'bigint', (c) => c.notNull())
        .addColumn('output_tokens', 'bigint', (c) => c.notNull())
        .addColumn('unpriced', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_rollup_pk', ['workspace_id', 'day', 'dim', 'k1', 'k2'])
        .execute();
      await db.schema
        .createTable('ledger_rollup_days')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('day', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_rollup_days_pk', ['workspace_id', 'day'])
        .execute();
    },
  },
  '0004_ledger_estimated': {
    // 1 for a call billed on an estimate (a stream cut before the vendor reported its usage).
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('ledger')
        .addColumn('estimated', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
};
