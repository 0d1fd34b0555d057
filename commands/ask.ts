import { parseArgs } from '../src/chat/args.ts';
import type { Command } from '../src/command/command.ts';
import { LANE_FLAGS, originOf, questionFrom, routeFromFlags } from './lane-flags.ts';
import { modelCheck } from './model-arg.ts';
import type { Plan } from '../src/routing/router.ts';
import type { WaitNotice } from '../src/routing/executor.ts';

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
    const route = routeFromFlags(flags, USAGE, modelCheck(ctx));
    const answer = await ctx.runner.ask({
      origin: originOf(inv, 'ask'),
      question,
      ...(inv.context ? { history: inv.context } : {}),
      route,
      confirmed: flags.yes === true,
      ...(inv.onText ? { onText: (d: string) => inv.onText?.(d) } : {}),
      ...(inv.progress ? { onPlan: (p: Plan) => void inv.progress?.({ text: progressText(p), kind: 'plan' }).catch(() => undefined) } : {}),
      ...(inv.progress ? { onWait: (w: WaitNotice) => void inv.progress?.({ text: `${w.text}…`, kind: 'wait' }).catch(() => undefined) } : {}),
    });
    return { text: answer.text, question, footer: answer.footer, visibility: 'channel' };
  },
};

/** What a slow job's placeholder says while it runs: the lane, why, and the models it may use. */
export function progressText(p: Plan): string {
  return `Working on it · ${p.lane} lane (${p.reason}) · ${p.candidates.map((c) => c.model).join(' / ')}`;
}
