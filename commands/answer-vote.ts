import type { Command } from '../src/command/command.ts';
import { actionTarget, entryOf } from './answer-action.ts';
import { teachRouting } from './routing-feedback.ts';

/** Feedback on an answer, pressed or typed: one vote per person, the latest counts, kept with the answer's evidence. */
export function voteCommand(spec: { name: string; kind: 'helpful' | 'unhelpful'; summary: string }): Command {
  return {
    name: spec.name,
    quick: true,
    summary: spec.summary,
    usage: `/${spec.name} <answer>`,
    async run(inv, ctx) {
      const job = await actionTarget(inv, ctx, spec.name);
      const words = spec.kind === 'helpful' ? 'helpful' : 'not helpful';
      if (job.state !== 'answered') return { text: 'That job has no answer to judge yet.', visibility: 'private', tone: 'error' };
      const before = await ctx.answers.book.vote(job.ref, entryOf(inv, job, spec.kind, `vote:${inv.userId}`, ctx.now().getTime()));
      if (before === spec.kind) return { text: `You already marked this answer ${words}.`, visibility: 'private' };
      await teachRouting(ctx, job, spec.kind);
      const lane = job.lane ? ` (${job.lane} lane)` : '';
      return { text: `Thanks: this answer${lane} is marked ${words}${before ? ', replacing your earlier vote' : ''}.`, visibility: 'private' };
    },
  };
}
