import { PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * PostgreSQL differs in two words: it has no `autoincrement` (an identity column is the same
 * ever-growing id), and its `integer` is 32-bit where SQLite's is 64-bit (so `bigint` there).
 */
const onPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;
const int = (db: Kysely<unknown>) => (onPostgres(db) ? 'bigint' : 'integer');

/**
 * Schema changes in order. A released migration is only followed by another, never changed in what
 * it makes on a database that already ran it (0001 gained a PostgreSQL branch; its SQLite schema is
 * unchanged).
 */
const MIGRATIONS: Record<string, Migration> = {
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
  '0005_digests': {
    // A channel's digest schedule; the messages captured for it (only in such channels, kept 48 h
    // by default); and one row per channel and local day, claimed before a digest runs, so it fires
    // once across restarts and processes.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('digest_channels')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('at_time', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('enabled_at', 'bigint', (c) => c.notNull())
        .addColumn('enabled_by', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('digest_channels_pk', ['workspace_id', 'channel_id'])
        .execute();
      await db.schema
        .createTable('digest_messages')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('thread_id', 'text')
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('permalink', 'text')
        .addColumn('edited', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('digest_messages_pk', ['workspace_id', 'channel_id', 'message_id'])
        .execute();
      await db.schema.createIndex('digest_messages_channel_at').on('digest_messages').columns(['workspace_id', 'channel_id', 'at']).execute();
      await db.schema.createIndex('digest_messages_expires_at').on('digest_messages').column('expires_at').execute();
      await db.schema
        .createTable('digest_runs')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('evidence_id', 'text')
        .addColumn('cost_nano', 'bigint')
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('digest_runs_pk', ['workspace_id', 'channel_id', 'day'])
        .execute();
    },
  },
  '0006_outbox': {
    // One row per queued job, keyed by its id: which worker runs it, what it has posted, and
    // whether the answer went out, so a job resumed after a worker died never posts twice.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox')
        .addColumn('job_id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('ref', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('posting_at', 'bigint')
        .addColumn('sent_at', 'bigint')
        .execute();
      await db.schema.createIndex('outbox_created_at').on('outbox').column('created_at').execute();
    },
  },
  '0007_local_jobs_held_replies': {
    // The jobs a single process acknowledged and has not finished, sealed, so a crash (kill -9,
    // power loss) loses none: the next start finds and finishes them. And an answer that could not
    // be delivered (the platform or the log store away), sealed in its job's outbox row, so the job's
    // next run delivers it instead of asking the model again.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('local_jobs')
        .addColumn('job_id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
        .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('outbox').addColumn('held_reply', 'text').execute();
    },
  },
  '0008_call_starts': {
    // A row per model call in flight, written before the call and deleted in the transaction that
    // books it, so a call whose process stopped (kill -9) is still found and booked. No secondary
    // index: the table holds only calls in flight, and each index would be one more write per call.
    // Ledger rows (and daily totals) count the calls booked that way, for /hive usage to say so.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('call_starts')
        .addColumn('id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('evidence_id', 'text', (c) => c.notNull())
        .addColumn('vendor', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('prompt_tokens', int(db), (c) => c.notNull())
        .addColumn('max_tokens', int(db), (c) => c.notNull())
        .addColumn('worst_nano', 'bigint')
        .addColumn('hold_id', 'text')
        .addColumn('keys', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .alterTable('ledger')
        .addColumn('stopped', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('ledger_rollup')
        .addColumn('stopped', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0009_digest_channels_off_at': {
    // When a channel's digest was turned off (null while on): an off channel keeps its schedule and
    // options for the next /digest on, while nothing is captured or scheduled for it.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('digest_channels').addColumn('off_at', 'bigint').execute();
    },
  },
};

/** Hands Kysely's Migrator the migrations compiled into the program (no files to find at run time). */
export const logMigrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
