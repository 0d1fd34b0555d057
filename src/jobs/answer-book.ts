import { createHash, randomBytes } from 'node:crypto';
import type { LogDb } from '../store/log-db.ts';
import type { ChatMessage } from '../shared/provider-spec.ts';
import type { AttachmentRef } from '../shared/attachment.ts';
import type { Sealer } from '../keys/crypto.ts';
import { RECORD_TTL_MS } from '../evidence/evidence-retention.ts';
import { recentQuestions, tallyRoutes, type RouteTally } from './answer-book-routes.ts';
import { openAnswerFiles, sealAnswerFiles } from './answer-book-files.ts';
import { actionsOf, claimAction, countActions, voteOn, type ActionCount, type ActionEntry, type ActionTaken, type Claim } from './answer-book-actions.ts';

export type { ActionCount, ActionEntry, ActionTaken, Claim } from './answer-book-actions.ts';
export type { RouteTally } from './answer-book-routes.ts';

/** How a job an action may name stands. */
export type AnswerState = 'running' | 'held' | 'answered' | 'failed' | 'cancelled';

/** A job as an action finds it: who asked, where, what, and how it stands. */
export interface AnswerJob {
  ref: string;
  workspaceId: string;
  platform: string;
  channelId: string;
  threadId?: string;
  askerId: string;
  /** The verb that ran it (`ask`, `consensus`) and its text with flags, for a re-run. */
  command: string;
  text: string;
  context?: ChatMessage[];
  /** The files it read, as the platform described them (marked `earlier` as they were), for a re-run to read again. */
  attachments?: AttachmentRef[];
  /** It read files whose descriptions could not be opened (sealed under another master key). */
  attachmentsLost?: true;
  state: AnswerState;
  lane?: string;
  laneReason?: string;
  evidenceId?: string;
  cancelBy?: string;
  createdAt: number;
}

/** What opens a job's row before it runs. */
export type NewAnswerJob = Omit<AnswerJob, 'attachmentsLost' | 'state' | 'lane' | 'laneReason' | 'evidenceId' | 'cancelBy' | 'createdAt'>;

/**
 * The jobs actions may name and the actions taken on them, in the log store every process of an
 * install shares, so a press works on any worker and after a restart, and runs once.
 */
export interface AnswerBook {
  /**
   * Writes a job's row before it runs; a resumed job keeps its first row (asker, time), and learns
   * who cancelled it meanwhile, if anyone.
   */
  open(job: NewAnswerJob, at: number, keepMs: number): Promise<{ cancelBy?: string }>;
  get(ref: string, workspaceId: string): Promise<AnswerJob | undefined>;
  settle(ref: string, s: { state: AnswerState; lane?: string; laneReason?: string; evidenceId?: string }, at: number): Promise<void>;
  /** Asks for a cancel of a running or held job; false when it is neither (finished, already cancelled). */
  requestCancel(ref: string, by: string, at: number): Promise<boolean>;
  /** Who asked for the job's cancel, if anyone: what the process running the job polls. */
  cancelledBy(ref: string): Promise<string | undefined>;
  /** Claims an action that runs once; the same queued run claiming again goes on (it was resumed). */
  claim(ref: string, entry: ActionEntry): Promise<Claim>;
  /** Gives up a claim whose work failed, so the action can be taken again. */
  release(ref: string, slot: string): Promise<void>;
  /** Records a person's vote (latest counts); returns the kind they had already given, if any. */
  vote(ref: string, entry: ActionEntry): Promise<string | undefined>;
  /** Actions taken in a workspace between two times, counted per lane and kind. */
  counts(workspaceId: string, sinceMs: number, untilMs: number): Promise<ActionCount[]>;
  /** Answered jobs and the actions on them between two times, per lane and routing rule (`/hive routing`). */
  routes(workspaceId: string, sinceMs: number, untilMs: number): Promise<RouteTally[]>;
  /** The texts of the workspace's latest answered `/ask` jobs, newest first. */
  recentQuestions(workspaceId: string, limit: number): Promise<string[]>;
  /** The actions taken on answers with these evidence ids, for an export. */
  actionsFor(evidenceIds: readonly string[]): Promise<Map<string, ActionTaken[]>>;
  /** The texts of a person's own latest answered `/ask` jobs in a workspace, newest first (flags included). */
  recentAsks(workspaceId: string, askerId: string, limit: number): Promise<string[]>;
  /** Drops job rows past their time (texts and context go with them), and action rows as old as the evidence records they judge. */
  expire(now: number): Promise<void>;
}

/**
 * A job's short reference: derived from its queued job id (the same on every run and every worker),
 * else random. Twelve characters of [a-z0-9], so it fits any button and can be typed.
 */
export function answerRefOf(jobId: string | undefined): string {
  const bytes = jobId === undefined ? randomBytes(12) : createHash('sha256').update(`answer:${jobId}`).digest();
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return [...bytes.subarray(0, 12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The answer book over the log store; `sealer` seals the descriptions of the files a job read. */
export function createAnswerBook(db: LogDb, sealer: Sealer): AnswerBook {
  return {
    open: (job, at, keepMs) => openJob(db, sealer, job, at, keepMs),
    get: (ref, workspaceId) => getJob(db, sealer, ref, workspaceId),
    async settle(ref, s, at) {
      await db
        .updateTable('answer_jobs')
        .set({ state: s.state, lane: s.lane ?? null, lane_reason: s.laneReason ?? null, evidence_id: s.evidenceId ?? null, updated_at: at })
        .where('ref', '=', ref)
        .execute();
    },
    async requestCancel(ref, by, at) {
      const r = await db
        .updateTable('answer_jobs')
        .set({ cancel_by: by, updated_at: at })
        .where('ref', '=', ref)
        .where('cancel_by', 'is', null)
        .where('state', 'in', ['running', 'held'])
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async cancelledBy(ref) {
      const row = await db.selectFrom('answer_jobs').select('cancel_by').where('ref', '=', ref).executeTakeFirst();
      return row?.cancel_by ?? undefined;
    },
    claim: (ref, entry) => claimAction(db, ref, entry),
    async release(ref, slot) {
      await db.deleteFrom('answer_actions').where('ref', '=', ref).where('slot', '=', slot).execute();
    },
    vote: (ref, entry) => voteOn(db, ref, entry),
    counts: (workspaceId, sinceMs, untilMs) => countActions(db, workspaceId, sinceMs, untilMs),
    routes: (workspaceId, sinceMs, untilMs) => tallyRoutes(db, workspaceId, sinceMs, untilMs),
    recentQuestions: (workspaceId, limit) => recentQuestions(db, workspaceId, limit),
    actionsFor: (ids) => actionsOf(db, ids),
    recentAsks: (workspaceId, askerId, limit) => recentQuestions(db, workspaceId, limit, askerId),
    async expire(now) {
      await db.deleteFrom('answer_jobs').where('expires_at', '<=', now).execute();
      await db
        .deleteFrom('answer_actions')
        .where('at', '<=', now - RECORD_TTL_MS)
        .execute();
    },
  };
}

async function openJob(db: LogDb, sealer: Sealer, job: NewAnswerJob, at: number, keepMs: number): Promise<{ cancelBy?: string }> {
  const r = await db
    .insertInto('answer_jobs')
    .values({
      ref: job.ref,
      workspace_id: job.workspaceId,
      platform: job.platform,
      channel_id: job.channelId,
      thread_id: job.threadId ?? null,
      asker_id: job.askerId,
      command: job.command,
      text: job.text,
      context: job.context && job.context.length > 0 ? JSON.stringify(job.context) : null,
      attachments: sealAnswerFiles(sealer, job.ref, job.attachments),
      state: 'running',
      lane: null,
      lane_reason: null,
      evidence_id: null,
      cancel_by: null,
      created_at: at,
      updated_at: at,
      expires_at: at + keepMs,
    })
    .onConflict((oc) => oc.column('ref').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) return {};
  const row = await db.selectFrom('answer_jobs').select('cancel_by').where('ref', '=', job.ref).executeTakeFirst();
  return row?.cancel_by ? { cancelBy: row.cancel_by } : {};
}

async function getJob(db: LogDb, sealer: Sealer, ref: string, workspaceId: string): Promise<AnswerJob | undefined> {
  const r = await db.selectFrom('answer_jobs').selectAll().where('ref', '=', ref).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!r) return undefined;
  return {
    ref: r.ref,
    workspaceId: r.workspace_id,
    platform: r.platform,
    channelId: r.channel_id,
    ...(r.thread_id ? { threadId: r.thread_id } : {}),
    askerId: r.asker_id,
    command: r.command,
    text: r.text,
    ...(r.context ? { context: JSON.parse(r.context) as ChatMessage[] } : {}),
    ...(r.attachments ? openAnswerFiles(sealer, r.ref, r.attachments) : {}),
    state: r.state as AnswerState,
    ...(r.lane ? { lane: r.lane } : {}),
    ...(r.lane_reason ? { laneReason: r.lane_reason } : {}),
    ...(r.evidence_id ? { evidenceId: r.evidence_id } : {}),
    ...(r.cancel_by ? { cancelBy: r.cancel_by } : {}),
    createdAt: Number(r.created_at),
  };
}
