import { parseArgs, type FlagSpec } from '../src/chat/args.ts';
import type { Command } from '../src/command/command.ts';
import { renderConsensusReply } from '../src/consensus/render.ts';
import { UserError } from '../src/shared/errors.ts';
import type { ModelRef } from '../src/shared/types.ts';
import type { WaitNotice } from '../src/routing/executor.ts';
import { formatModelRef } from '../src/shared/types.ts';
import { VENDORS } from '../src/shared/provider-spec.ts';
import { DEFAULT_LANES } from '../src/models/default-lanes.ts';
import { shown } from '../src/chat/args.ts';
import { modelCheck, readModelRef, type ModelCheck } from './model-arg.ts';
import { term } from '../src/shared/platform-terms.ts';
import { filesOf, laneFromFlags, originOf, questionFrom } from './lane-flags.ts';
import type { Progress } from '../src/chat/invocation.ts';
import type { MemberProgress } from '../src/consensus/member-run.ts';

/** A consensus can be re-run on another lane and judged, not asked for a consensus again. */
const CONSENSUS_ACTIONS = ['deeper', 'cheaper', 'helpful', 'unhelpful'] as const;

/** Waits and each member's call as progress notes (a member is a step of the job). */
function progressHooks(progress: (note: Omit<Progress, 'actions'>) => void) {
  return {
    onWait: (w: WaitNotice) => progress({ text: `${w.text}…`, kind: 'wait' }),
    onMember: (m: MemberProgress) => {
      const title = `Asking ${formatModelRef(m.ref)}`;
      progress({
        text: title,
        kind: 'task',
        task: { id: `member:${formatModelRef(m.ref)}`, title, status: m.status, ...(m.details ? { details: m.details } : {}) },
      });
    },
  };
}

const USAGE = '/consensus [--models a,b,c] [--cheap|--balanced|--deep] [--yes] <question>';
const FLAGS: FlagSpec = { cheap: 'boolean', balanced: 'boolean', deep: 'boolean', models: 'string', yes: 'boolean' };
/** The example a refusal gives: two current default models, so it never names a retired one. */
const EXAMPLE = DEFAULT_LANES.balanced.slice(0, 2).map(formatModelRef).join(',');

/** More members than vendors adds cost and little independence. */
const MAX_MEMBERS = 6;

/** `/consensus`: one model per vendor at once; where they agree, where they differ, what each cost. */
export const consensusCommand: Command = {
  name: 'consensus',
  conversational: true,
  summary: 'Ask one model of each vendor at once; see where they agree, where they differ, and what each cost.',
  usage: USAGE,
  async run(inv, ctx) {
    const { flags, rest } = parseArgs(inv.text, FLAGS, USAGE);
    const question = questionFrom(rest, ctx.limits.maxInputChars, USAGE);
    const lane = laneFromFlags(flags, USAGE);
    const models = typeof flags.models === 'string' ? parseModelList(flags.models, modelCheck(ctx)) : undefined;
    if (models && lane) throw new UserError(`Use either --models or --${lane}, not both.\nUsage: ${USAGE}`, 'usage');
    return ctx.answers.run(
      inv,
      async (job) => {
        const result = await ctx.consensus.run({
          origin: originOf(inv, 'consensus'),
          question,
          ...(inv.context ? { history: inv.context } : {}),
          ...filesOf(inv, question, ctx.limits.maxInputChars),
          ...(models ? { models } : {}),
          ...(lane ? { lane } : {}),
          confirmed: flags.yes === true,
          signal: job.signal,
          onRecorded: job.onRecorded,
          ...(job.progress ? progressHooks(job.progress) : {}),
        });
        return { ...renderConsensusReply(result), actions: job.offers(CONSENSUS_ACTIONS) };
      },
      question,
    );
  },
};

/** `anthropic:claude-sonnet-5-5,openai:gpt-6.2-sol` → model refs; every entry must be provider:model. */
export function parseModelList(text: string, check: ModelCheck): ModelRef[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const refs = parts.map((p) => {
    const ref = readModelRef(p, check);
    if (!ref)
      throw new UserError(
        `Models are named provider:model, separated by commas (in ${term.option('models')}), where provider is ${VENDORS.join(', ')} (e.g. ${EXAMPLE}). "${shown(p)}" is not one.`,
        'usage',
      );
    return ref;
  });
  if (refs.length === 0) throw new UserError(`--models needs at least one provider:model id.\nUsage: ${USAGE}`, 'usage');
  if (refs.length > MAX_MEMBERS) throw new UserError(`A consensus takes at most ${MAX_MEMBERS} models; you named ${refs.length}.`, 'usage');
  return refs;
}
