import { parseArgs } from '../src/chat/args.ts';
import type { Command } from '../src/command/command.ts';
import { filesOf, LANE_FLAGS, originOf, questionFrom, routeFromFlags } from './lane-flags.ts';
import { modelCheck } from './model-arg.ts';
import type { Plan } from '../src/routing/router.ts';
import type { WaitNotice } from '../src/routing/executor.ts';
import type { Progress } from '../src/chat/invocation.ts';
import { ANSWER_ACTIONS } from '../src/chat/answer-actions.ts';
import type { Vendor } from '../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../src/models/vendor-info.ts';

const USAGE = '/ask [--cheap|--balanced|--deep] [--model provider:model] [--yes] <question>';

/** `/ask`: one routed model answer with its cost and evidence footer. */
export const askCommand: Command = {
  name: 'ask',
  conversational: true,
  summary: 'Ask a question; Hive picks the lane and model, or use a flag.',
  usage: USAGE,
  async run(inv, ctx) {
    const { flags, rest } = parseArgs(inv.text, LANE_FLAGS, USAGE);
    const question = questionFrom(rest, ctx.limits.maxInputChars, USAGE);
    const flagged = routeFromFlags(flags, USAGE, modelCheck(ctx));
    const route = inv.because && flagged.lane ? { ...flagged, laneReason: inv.because } : flagged;
    return ctx.answers.run(
      inv,
      async (job) => {
        const answer = await ctx.runner.ask({
          origin: originOf(inv, 'ask'),
          question,
          ...(inv.context ? { history: inv.context } : {}),
          ...filesOf(inv, question, ctx.limits.maxInputChars),
          route,
          confirmed: flags.yes === true,
          signal: job.signal,
          onRecorded: job.onRecorded,
          ...(inv.onText ? { onText: (d: string) => inv.onText?.(d) } : {}),
          ...(job.progress ? progressHooks(job.progress) : {}),
        });
        return { text: answer.text, question, footer: answer.footer, visibility: 'channel', actions: job.offers(ANSWER_ACTIONS) };
      },
      question,
    );
  },
};

/** The job's plan, waits and failovers as progress notes (a failover is a step; the footer names it too). */
function progressHooks(progress: (note: Omit<Progress, 'actions'>) => void) {
  return {
    onPlan: (p: Plan) => progress({ text: progressText(p), kind: 'plan' }),
    onWait: (w: WaitNotice) => progress({ text: `${w.text}…`, kind: 'wait' }),
    onFailover: (vendor: Vendor, reason: string) => {
      const title = `${VENDOR_INFO[vendor].label} ${reason}; trying the next model`;
      progress({ text: title, kind: 'task', task: { id: `failover:${vendor}`, title, status: 'error', details: reason } });
    },
  };
}

/** What a slow job's placeholder says while it runs: the lane, why, and the models it may use. */
export function progressText(p: Plan): string {
  return `Working on it · ${p.lane} lane (${p.reason}) · ${p.candidates.map((c) => c.model).join(' / ')}`;
}
