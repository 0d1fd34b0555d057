import { CONFIRM_BY_FLAG } from '../routing/budget-fit.ts';
import type { ActionKind, ActionOffer } from '../chat/answer-actions.ts';
import type { Invocation, Progress, Reply } from '../chat/invocation.ts';
import { answerRefOf, type AnswerBook, type AnswerState } from '../jobs/answer-book.ts';
import type { JobCancels } from '../jobs/job-cancels.ts';
import type { JobFacts, OnRecorded } from '../jobs/job-facts.ts';
import { formatUsd } from '../money/footer.ts';
import { UserError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { term } from '../shared/platform-terms.ts';

/** What one answer job hands its command: its reference, its cancel, and the offers its platform shows. */
export interface AnswerRun {
  ref: string;
  signal: AbortSignal;
  /** The offers among `kinds` this invocation's platform shows (none where it shows none). */
  offers(kinds: readonly ActionKind[]): ActionOffer[];
  /** Pass as the job's `onRecorded`: the answer's lane and evidence are kept for later actions. */
  onRecorded: OnRecorded;
  /** Shows a progress note with the job's Cancel (where shown); a note that fails to show never fails the job. Absent where the platform shows none. */
  progress?: (note: Omit<Progress, 'actions'>) => void;
}

/** What a command's work returns: its reply, answered. */
export type AnswerWork = (run: AnswerRun) => Promise<Reply>;

/** The answer book and cancels, as commands use them: run a job that actions can name, and act on one. */
export interface AnswerJobs {
  book: AnswerBook;
  cancels: JobCancels;
  /**
   * Runs a model job so actions can name it: its row is written first, a cancel aborts it, a job
   * held for confirmation offers Confirm, and a cancelled one answers with what it spent.
   */
  run(inv: Invocation, work: AnswerWork, question?: string): Promise<Reply>;
}

export interface AnswerJobsOptions {
  book: AnswerBook;
  cancels: JobCancels;
  now: () => number;
  /** How long a job's text stays for re-runs: the evidence content's retention. */
  keepMs: number;
  log: Logger;
}

export function createAnswerJobs(o: AnswerJobsOptions): AnswerJobs {
  return { book: o.book, cancels: o.cancels, run: (inv, work, question) => runAnswerJob(o, inv, work, question) };
}

async function runAnswerJob(o: AnswerJobsOptions, inv: Invocation, work: AnswerWork, question: string | undefined): Promise<Reply> {
  const ref = answerRefOf(inv.jobId);
  const job = {
    ref,
    workspaceId: inv.workspaceId,
    platform: inv.platform,
    channelId: inv.channelId,
    askerId: inv.userId,
    command: inv.command,
    text: inv.text,
  };
  const opened = await o.book.open(
    {
      ...job,
      ...(inv.threadId ? { threadId: inv.threadId } : {}),
      ...(inv.context ? { context: inv.context } : {}),
      // Their descriptions only (sealed in the book), so a re-run reads the same files again.
      ...(inv.attachments ? { attachments: inv.attachments } : {}),
    },
    o.now(),
    o.keepMs,
  );
  // A resumed job cancelled while no process ran it: nothing more is called.
  if (opened.cancelBy !== undefined) return cancelledReply(opened.cancelBy, undefined, question);
  const watch = o.cancels.watch(ref);
  let facts: JobFacts | undefined;
  const shown = new Set(inv.actions ?? []);
  const run: AnswerRun = {
    ref,
    signal: watch.signal,
    offers: (kinds) => kinds.filter((k) => shown.has(k)).map((kind) => ({ kind, ref })),
    onRecorded: (f) => void (facts = f),
    ...(inv.progress ? { progress: (note) => void inv.progress?.({ ...note, actions: run.offers(['cancel']) }).catch(() => undefined) } : {}),
  };
  const settle = (state: AnswerState) =>
    o.book
      .settle(ref, { state, ...(facts ? { lane: facts.lane, laneReason: facts.laneReason, evidenceId: facts.evidenceId } : {}) }, o.now())
      .catch((err: unknown) => o.log.warn({ err, ref }, 'could not record how a job ended'));
  try {
    const reply = await work(run);
    await settle('answered');
    return reply;
  } catch (err) {
    const by = watch.by();
    if (by !== undefined) {
      await settle('cancelled');
      return cancelledReply(by, facts, question);
    }
    if (err instanceof UserError && err.code === 'needs_confirmation') {
      await settle('held');
      throw heldError(err, run.offers(['confirm', 'cancel']));
    }
    await settle('failed');
    throw err;
  } finally {
    watch.stop();
  }
}

/** What a cancelled job answers where its answer would have gone: who cancelled it and what it spent. */
function cancelledReply(by: string, facts: JobFacts | undefined, question: string | undefined): Reply {
  const spent =
    facts === undefined ? 'nothing was spent' : facts.costUsd === null ? 'spent an unknown amount (a model has no price)' : `spent ${formatUsd(facts.costUsd)}`;
  const footer = facts === undefined ? spent : `${spent} · ${facts.lane} lane · evidence ${facts.evidenceId}`;
  return { text: `Cancelled by ${term.user(by)} before the answer was finished.`, footer, visibility: 'channel', ...(question ? { question } : {}) };
}

/** A confirmation refusal that offers Confirm (and Cancel) where the platform shows them, and says so. */
function heldError(err: UserError, offers: ActionOffer[]): UserError {
  if (!offers.some((a) => a.kind === 'confirm')) return err;
  const held = new UserError(err.message.replace(CONFIRM_BY_FLAG, 'Press Confirm to go ahead, or Cancel.'), err.code);
  held.offers = offers;
  return held;
}
