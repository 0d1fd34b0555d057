import type { Command } from '../src/command/command.ts';
import { UserError } from '../src/shared/errors.ts';
import { actionTarget, claimOnce, requireAskerOrAdmin } from './answer-action.ts';

/** `/cancel <job>` (and the Cancel button): stops a job in flight wherever it runs; its answer says what it spent. */
export const cancelCommand: Command = {
  name: 'cancel',
  quick: true,
  summary: 'Stop a job that is running or waiting; its reply says what it spent.',
  usage: '/cancel <job>',
  async run(inv, ctx) {
    const job = await actionTarget(inv, ctx, 'cancel');
    await requireAskerOrAdmin(inv, job, 'cancel');
    if (job.state !== 'running' && job.state !== 'held')
      throw new UserError(`That job has already ${job.state === 'cancelled' ? 'been cancelled' : 'finished'}.`, 'action_too_late');
    await claimOnce(inv, ctx, job, 'cancel');
    const asked = await ctx.answers.cancels.request(job.ref, inv.userId);
    if (!asked) throw new UserError('That job finished before the cancel reached it.', 'action_too_late');
    if (job.state === 'held') {
      await ctx.answers.book.settle(job.ref, { state: 'cancelled' }, ctx.now().getTime());
      return { text: 'Cancelled: the job held for confirmation will not run. Nothing was spent.', visibility: 'private' };
    }
    return { text: 'Cancelling: the job stops within a few seconds, and its reply says what it spent.', visibility: 'private' };
  },
};
