import type { Kysely, Migration } from 'kysely';

/** Digest and scale-out groundwork: the digest tables and the outbox that makes each post happen once. */
export const SCALE_OUT_MIGRATIONS: Record<string, Migration> = {
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
};
