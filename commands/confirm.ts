import type { Command } from '../src/command/command.ts';
import { UserError } from '../src/shared/errors.ts';
import { askCommand } from './ask.ts';
import { consensusCommand } from './consensus.ts';
import { actionTarget, claimOnce, filesNotReadAgain, requireAskerOrAdmin, rerunInvocation, withNote } from './answer-action.ts';

/** `/confirm <job>` (and the Confirm button): runs a job held for its cost, once, as it was asked. */
export const confirmCommand: Command = {
  name: 'confirm',
  conversational: true,
  summary: 'Go ahead with a job held because it could cost more than the confirmation threshold.',
  usage: '/confirm <job>',
  async run(inv, ctx) {
    const job = await actionTarget(inv, ctx, 'confirm');
    await requireAskerOrAdmin(inv, job, 'confirm');
    if (job.state === 'cancelled') throw new UserError('That job was cancelled; ask again to run it.', 'action_too_late');
    if (job.state !== 'held') throw new UserError('That job is not waiting for confirmation.', 'action_pointless');
    await claimOnce(inv, ctx, job, 'confirm');
    const command = job.command === 'consensus' ? consensusCommand : askCommand;
    const again = rerunInvocation(inv, job, command.name, `--yes ${job.text}`);
    await ctx.answers.book.settle(job.ref, { state: 'answered' }, ctx.now().getTime());
    return withNote(await command.run(again, ctx), filesNotReadAgain(inv, job));
  },
};
