import type { Kysely, Migration } from 'kysely';
import { int } from './migration-dialect.ts';

/** Nothing lost to a crash: acknowledged jobs, held replies and calls in flight are kept; a digest turned off keeps its settings. */
export const DURABILITY_MIGRATIONS: Record<string, Migration> = {
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
