import { parseArgs } from '../src/chat/args.ts';
import type { Command } from '../src/command/command.ts';
import { LANE_FLAGS, originOf, questionFrom, routeFromFlags } from './lane-flags.ts';
import { modelCheck } from './model-arg.ts';
import type { Plan } from '../src/routing/router.ts';
import type { WaitNotice } from '../src/routing/executor.ts';
import type { Progress } from '../src/chat/invocation.ts';
import { ANSWER_ACTIONS, type ActionOffer } from '../src/chat/answer-actions.ts';
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
        const progress = (note: Progress) => void inv.progress?.(note).catch(() => undefined);
        const answer = await ctx.runner.ask({
          origin: originOf(inv, 'ask'),
          question,
          ...(inv.context ? { history: inv.context } : {}),
          route,
          confirmed: flags.yes === true,
          signal: job.signal,
          onRecorded: job.onRecorded,
          ...(inv.onText ? { onText: (d: string) => inv.onText?.(d) } : {}),
          ...(inv.progress ? { onPlan: (p: Plan) => progress({ text: progressText(p), kind: 'plan', actions: job.offers(['cancel']) }) } : {}),
          ...(inv.progress ? { onWait: (w: WaitNotice) => progress({ text: `${w.text}…`, kind: 'wait', actions: job.offers(['cancel']) }) } : {}),
          ...(inv.progress ? { onFailover: (v: Vendor, reason: string) => progress(failoverTask(v, reason, job.offers(['cancel']))) } : {}),
        });
        return { text: answer.text, question, footer: answer.footer, visibility: 'channel', actions: job.offers(ANSWER_ACTIONS) };
      },
      question,
    );
  },
};

/** A vendor given up on, as a step of the job: platforms with a plan view show it; the footer names it too. */
function failoverTask(vendor: Vendor, reason: string, actions: ActionOffer[]): Progress {
  const title = `${VENDOR_INFO[vendor].label} ${reason}; trying the next model`;
  return { text: title, kind: 'task', actions, task: { id: `failover:${vendor}`, title, status: 'error', details: reason } };
}

/** What a slow job's placeholder says while it runs: the lane, why, and the models it may use. */
export function progressText(p: Plan): string {
  return `Working on it · ${p.lane} lane (${p.reason}) · ${p.candidates.map((c) => c.model).join(' / ')}`;
}
