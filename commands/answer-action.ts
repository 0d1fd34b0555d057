import { parseArgs, shown, type FlagSpec } from '../src/chat/args.ts';
import { ACTION_LABELS, isActionRef, type ActionKind } from '../src/chat/answer-actions.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import type { ActionEntry, ActionTaken, AnswerJob } from '../src/jobs/answer-book.ts';
import type { HiveContext } from '../src/command/command.ts';
import { UserError } from '../src/shared/errors.ts';
import { term } from '../src/shared/platform-terms.ts';
import { LANE_FLAGS } from './lane-flags.ts';

/** Every flag a re-runnable command takes before its question; a re-run replaces the lane ones. */
const RERUN_FLAGS: FlagSpec = { ...LANE_FLAGS, models: 'string' };

/** What each action did, as the sentence that tells a second presser it was already done. */
const DONE_WORDS: Readonly<Record<ActionKind, string>> = {
  deeper: 're-run deeper',
  cheaper: 're-run cheaper',
  consensus: 'asked for a consensus',
  confirm: 'confirmed',
  cancel: 'cancelled',
  helpful: 'marked helpful',
  unhelpful: 'marked not helpful',
};

/** The job an action names, found for someone who can read where it was answered; refused otherwise. */
export async function actionTarget(inv: Invocation, ctx: HiveContext, verb: string): Promise<AnswerJob> {
  const ref = inv.text.trim();
  if (!isActionRef(ref)) throw new UserError(`Which answer? Usage: /${verb} <answer>, e.g. /${verb} 3 for the answer numbered [3].`, 'usage');
  const job = await ctx.answers.book.get(ref, inv.workspaceId);
  if (!job)
    throw new UserError(`That answer is not kept any more (actions work while its evidence keeps its text), so it cannot be acted on.`, 'action_unknown');
  const where = { channelId: job.channelId, ...(job.threadId ? { threadId: job.threadId } : {}) };
  const readable = job.channelId === inv.channelId || (inv.canRead ? await inv.canRead(where) : false);
  if (!readable) throw new UserError(`That answer is in a conversation you cannot read, so it cannot be acted on from here.`, 'action_forbidden');
  return job;
}

/** Cancel and confirm are for the one who asked, or an admin: they spend or stop someone's job. */
export async function requireAskerOrAdmin(inv: Invocation, job: AnswerJob, kind: ActionKind): Promise<void> {
  if (inv.userId === job.askerId || (await inv.isAdmin())) return;
  throw new UserError(
    `Only ${term.user(job.askerId)}, who asked, or one of the ${term.admins()} can ${ACTION_LABELS[kind].toLowerCase()} this job.`,
    'action_forbidden',
  );
}

/** The row an action leaves: where it counts (the answer's lane and evidence) and who took it. */
export function entryOf(inv: Invocation, job: AnswerJob, kind: ActionKind, slot: string, at: number): ActionEntry {
  return {
    slot,
    kind,
    workspaceId: job.workspaceId,
    userId: inv.userId,
    at,
    ...(inv.jobId ? { jobId: inv.jobId } : {}),
    ...(job.evidenceId ? { evidenceId: job.evidenceId } : {}),
    ...(job.lane ? { lane: job.lane } : {}),
    ...(job.laneReason ? { laneReason: job.laneReason } : {}),
  };
}

/** Claims an action that runs once on this job, or says who took it first; `resumed` when this same queued run claimed it before. */
export async function claimOnce(inv: Invocation, ctx: HiveContext, job: AnswerJob, kind: ActionKind): Promise<{ resumed: boolean }> {
  const claim = await ctx.answers.book.claim(job.ref, entryOf(inv, job, kind, kind, ctx.now().getTime()));
  if (!claim.ok) throw new UserError(alreadyDone(claim.taken, kind, ctx.now().getTime()), 'action_taken');
  return { resumed: claim.resumed };
}

/** `Already re-run deeper by @bob 2 minutes ago.` */
export function alreadyDone(taken: ActionTaken, kind: ActionKind, now: number): string {
  const mins = Math.max(0, Math.round((now - taken.at) / 60_000));
  const when = mins < 1 ? 'just now' : mins === 1 ? 'a minute ago' : `${mins} minutes ago`;
  return `This answer was already ${DONE_WORDS[kind]} by ${term.user(taken.userId)} ${when}.`;
}

/** A job's question without the flags it was asked with; empty when the text holds none (or flags it cannot read). */
export function questionOf(text: string): string {
  try {
    return parseArgs(text, RERUN_FLAGS, '/ask').rest;
  } catch {
    return '';
  }
}

/** The job's question with its lane flags replaced: `--deep <question>`, or the question alone. */
export function rerunText(job: AnswerJob, flags: readonly string[]): string {
  const rest = questionOf(job.text);
  if (rest === '') throw new UserError(`That job has no question to run again (${shown(job.text)}).`, 'action_unknown');
  return [...flags, rest].join(' ');
}

/**
 * The invocation a re-run answers through: the presser's (billed to them), in the job's thread, with
 * its context and the files the answer read (marked as they were), read again by the presser's own
 * reader: the same platform and workspace hold them. Without a reader they are left out, and
 * `filesNotReadAgain` says so. An answer that kept no files (none, or written before files were kept) runs as ever.
 */
export function rerunInvocation(inv: Invocation, job: AnswerJob, command: string, text: string): Invocation {
  const again: Invocation = {
    ...inv,
    command,
    text,
    channelId: job.channelId,
    ...(job.threadId ? { threadId: job.threadId } : {}),
    ...(job.context ? { context: job.context } : {}),
  };
  if (!job.attachments && !job.attachmentsLost) return again;
  const { attachments: _shared, readAttachment, ...rest } = again;
  return job.attachments && readAttachment && canReadAgain(inv, job) ? { ...rest, attachments: job.attachments, readAttachment } : rest;
}

/** Why a re-run answers without the files its answer read, for its reply; undefined when it reads them again or there were none. */
export function filesNotReadAgain(inv: Invocation, job: AnswerJob): string | undefined {
  if (job.attachmentsLost)
    return 'Note: the files this answer read could not be found again (another master key sealed them), so this answer was made without them.';
  const files = job.attachments ?? [];
  if (files.length === 0 || canReadAgain(inv, job)) return undefined;
  const names = files.map((f) => shown(f.name)).join(', ');
  return `Note: ${files.length === 1 ? 'the file' : `the ${files.length} files`} this answer read (${names}) could not be read again from here, so this answer was made without them.`;
}

/** A reply with a note after its text (a re-run that could not read its files again). */
export function withNote(reply: Reply, note: string | undefined): Reply {
  return note === undefined ? reply : { ...reply, text: `${reply.text}\n\n${note}` };
}

/** The presser's reader reads the answer's files: it has one, on the answer's own platform. */
const canReadAgain = (inv: Invocation, job: AnswerJob) => inv.readAttachment !== undefined && inv.platform === job.platform;
