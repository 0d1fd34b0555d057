import type { Kysely, Migration } from 'kysely';

/** Actions on answers: the jobs a button or a typed verb may name, and every action taken on them. */
export const ACTION_MIGRATIONS: Record<string, Migration> = {
  '0010_answer_jobs_actions': {
    // A job a later action may name (re-run, confirm, cancel), by its short reference: who asked,
    // where, what (the command's text and thread context, dropped at `expires_at` like evidence
    // content), how it stands, and a cancel asked for by anyone allowed, which the process running the
    // job reads. And one row per action taken, keyed by the job and a slot (the action for those that
    // run once, `vote:<user>` for feedback), so a double click or a redelivered press does its work once;
    // those rows hold no content and go when the evidence records they judge do.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('answer_jobs')
        .addColumn('ref', 'text', (c) => c.primaryKey().notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('thread_id', 'text')
        .addColumn('asker_id', 'text', (c) => c.notNull())
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('context', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('lane', 'text')
        .addColumn('lane_reason', 'text')
        .addColumn('evidence_id', 'text')
        .addColumn('cancel_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('answer_jobs_expires_at').on('answer_jobs').column('expires_at').execute();
      await db.schema
        .createTable('answer_actions')
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('slot', 'text', (c) => c.notNull())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('evidence_id', 'text')
        .addColumn('lane', 'text')
        .addColumn('lane_reason', 'text')
        .addPrimaryKeyConstraint('answer_actions_pk', ['ref', 'slot'])
        .execute();
      await db.schema.createIndex('answer_actions_workspace_at').on('answer_actions').columns(['workspace_id', 'at']).execute();
      await db.schema.createIndex('answer_actions_evidence').on('answer_actions').column('evidence_id').execute();
      await db.schema.createIndex('answer_actions_at').on('answer_actions').column('at').execute();
    },
  },
  '0011_answer_jobs_attachments': {
    // The files a job read, as the platform described them (never their content), sealed with the
    // master key: a description may carry a platform's signed download URL. A re-run reads them again
    // through the platform's reader. Null for a job without files, and for every row written before.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('answer_jobs').addColumn('attachments', 'text').execute();
    },
  },
};
