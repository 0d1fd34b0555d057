import type { ActionKind } from '../src/chat/answer-actions.ts';
import type { Command } from '../src/command/command.ts';
import { UserError } from '../src/shared/errors.ts';
import { askCommand } from './ask.ts';
import { consensusCommand } from './consensus.ts';
import { teachRouting } from './routing-feedback.ts';
import { actionTarget, claimOnce, filesNotReadAgain, rerunInvocation, rerunText, withNote } from './answer-action.ts';

/** What a re-run changes: the lane flag it runs with, or asking a consensus instead. */
export interface RerunSpec {
  name: string;
  kind: Extract<ActionKind, 'deeper' | 'cheaper' | 'consensus'>;
  summary: string;
}

/**
 * A re-run of an answer, pressed or typed: once per answer, billed to the one who asks for it and
 * under their budgets, answered in the answer's thread with its context and the files it read.
 */
export function rerunCommand(spec: RerunSpec): Command {
  return {
    name: spec.name,
    conversational: true,
    summary: spec.summary,
    usage: `/${spec.name} <answer>`,
    async run(inv, ctx) {
      const job = await actionTarget(inv, ctx, spec.name);
      if (job.state === 'running' || job.state === 'held')
        throw new UserError('That job has not finished yet; wait for its answer, or cancel it first.', 'action_too_early');
      if (spec.kind === 'consensus' && job.command === 'consensus') throw new UserError('That answer is already a consensus.', 'action_pointless');
      const { resumed } = await claimOnce(inv, ctx, job, spec.kind);
      const command = spec.kind === 'consensus' ? consensusCommand : job.command === 'consensus' ? consensusCommand : askCommand;
      const lane = spec.kind === 'deeper' ? ['--deep'] : spec.kind === 'cheaper' ? ['--cheap'] : [];
      const again = { ...rerunInvocation(inv, job, command.name, rerunText(job, lane)), because: spec.kind === 'deeper' ? 're-run deeper' : 're-run cheaper' };
      try {
        const reply = withNote(await command.run(again, ctx), filesNotReadAgain(inv, job));
        if (!resumed) await teachRouting(ctx, job, spec.kind);
        return reply;
      } catch (err) {
        // A re-run that never answered may be pressed again; one that answered stays claimed.
        await ctx.answers.book.release(job.ref, spec.kind).catch(() => undefined);
        throw err;
      }
    },
  };
}
