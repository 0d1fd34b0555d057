import type { HiveContext } from '../src/command/command.ts';
import type { AnswerJob } from '../src/jobs/answer-book.ts';
import { questionOf } from './answer-action.ts';

/**
 * Teaches the learned policy from what a person did with an `/ask` answer: a cheap answer re-run
 * deeper or marked not helpful needed a strong lane; a cheap answer marked helpful, or a strong one
 * re-run cheaper, did not. Other actions say nothing about the lane. A failure is logged, never
 * shown: the action itself has already been done.
 */
export async function teachRouting(ctx: HiveContext, job: AnswerJob, kind: string): Promise<void> {
  if (job.command !== 'ask' || !job.lane) return;
  const cheap = job.lane === 'cheap';
  const needed =
    cheap && (kind === 'deeper' || kind === 'unhelpful') ? true : (cheap && kind === 'helpful') || (!cheap && kind === 'cheaper') ? false : undefined;
  const text = questionOf(job.text);
  if (needed === undefined || text === '') return;
  try {
    await ctx.learned.feedback(job.workspaceId, text, needed, ctx.now().getTime());
  } catch (err) {
    ctx.log.warn({ err, workspaceId: job.workspaceId }, 'could not record routing feedback');
  }
}
