import { shown } from '../src/chat/args.ts';
import type { HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import type { DigestOptions } from '../src/digest/digest-channels.ts';
import { UserError } from '../src/shared/errors.ts';
import { formatUsd } from '../src/money/footer.ts';
import { LANES, type LaneName } from '../src/shared/types.ts';
import { parseUsd, requireAdmin } from './admin.ts';
import { requireDigestRight } from './digest-right.ts';
import { modelCheck, parseModelArg, type ModelCheck } from './model-arg.ts';

const USAGE = '/digest set lane <cheap|balanced|deep|default> | model <provider:model|default> | length <1-40> | quiet <say|skip> | budget <usd|off>';

/** `/digest set …`: one option of this channel's digest. */
export async function digestSet(inv: Invocation, ctx: HiveContext, args: string[]): Promise<Reply> {
  const [what = '', value, ...extra] = args;
  if (value === undefined || extra.length > 0) throw new UserError(`Give one option and its value.\nUsage: ${USAGE}`, 'usage');
  const c = await ctx.digests.channels.get(inv.workspaceId, inv.channelId);
  if (!c) throw new UserError('This channel has no digest yet: turn it on first with /digest on [HH:MM] [Area/City].', 'digest_off');
  if (what.toLowerCase() === 'budget') await requireAdmin(inv, "set a channel's digest budget");
  else await requireDigestRight(inv, ctx, "change a channel's digest");
  const options = applyOption({ ...c.options }, what.toLowerCase(), value, modelCheck(ctx));
  // Only while on: a digest turned off meanwhile stays off.
  if (!(await ctx.digests.channels.setOptions(c.workspaceId, c.channelId, options)))
    throw new UserError('This channel has no digest now: turn it on first with /digest on [HH:MM] [Area/City].', 'digest_off');
  return { text: `Digest ${what.toLowerCase()}: ${describe(options, what.toLowerCase())}.`, visibility: 'private' };
}

function applyOption(o: DigestOptions, what: string, value: string, check: ModelCheck): DigestOptions {
  const v = value.toLowerCase();
  switch (what) {
    case 'lane':
      if (v === 'default') delete o.lane;
      else if ((LANES as readonly string[]).includes(v)) o.lane = v as LaneName;
      else throw new UserError(`"${shown(value)}" is not a lane: cheap, balanced, deep or default.\nUsage: ${USAGE}`, 'usage');
      delete o.model;
      return o;
    case 'model':
      if (v === 'default') delete o.model;
      else {
        const ref = parseModelArg(value, 'The model', USAGE, check);
        o.model = `${ref.vendor}:${ref.model}`;
      }
      return o;
    case 'length': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 40)
        throw new UserError(`"${shown(value)}" is not a length: give a number of points from 1 to 40.\nUsage: ${USAGE}`, 'usage');
      o.maxBullets = n;
      return o;
    }
    case 'quiet':
      if (v !== 'say' && v !== 'skip') throw new UserError(`Quiet days: say (one line) or skip (post nothing).\nUsage: ${USAGE}`, 'usage');
      o.quietDays = v;
      return o;
    case 'budget': {
      const usd = parseUsd(value, USAGE);
      if (usd === undefined) delete o.monthlyBudgetUsd;
      else o.monthlyBudgetUsd = usd;
      return o;
    }
    default:
      throw new UserError(`"${shown(what)}" is not a digest option.\nUsage: ${USAGE}`, 'usage');
  }
}

function describe(o: DigestOptions, what: string): string {
  if (what === 'lane') return o.lane ?? 'cheap (the default)';
  if (what === 'model') return o.model ?? `none (lane ${o.lane ?? 'cheap'})`;
  if (what === 'length') return `at most ${o.maxBullets} points`;
  if (what === 'quiet') return o.quietDays === 'skip' ? 'a quiet day posts nothing' : 'a quiet day posts one line';
  return o.monthlyBudgetUsd === undefined ? 'no monthly cap' : `${formatUsd(o.monthlyBudgetUsd)} a month`;
}
