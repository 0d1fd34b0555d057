import { UserError } from '../src/errors.ts';
import type { FlagSpec } from '../src/args.ts';
import type { RouteRequest } from '../src/router.ts';
import type { LaneName } from '../src/types.ts';
import { LANES, VENDORS, parseModelRef } from '../src/types.ts';

/** Flags shared by every command that routes a model job. */
export const LANE_FLAGS: FlagSpec = { cheap: 'boolean', balanced: 'boolean', deep: 'boolean', model: 'string', yes: 'boolean' };

/** Turns lane and model flags into a route request, refusing contradictions. */
export function routeFromFlags(flags: Record<string, string | true>, usage: string): RouteRequest {
  const lanes = LANES.filter((l) => flags[l] === true);
  if (lanes.length > 1) throw new UserError(`Pick one lane: ${lanes.map((l) => `--${l}`).join(' or ')}.\nUsage: ${usage}`, 'usage');
  const modelText = flags.model;
  if (typeof modelText === 'string') {
    if (lanes.length > 0) throw new UserError(`Use either --model or --${lanes[0]}, not both.\nUsage: ${usage}`, 'usage');
    const model = parseModelRef(modelText);
    if (!model) {
      throw new UserError(`--model takes provider:model, where provider is ${VENDORS.join(', ')} (e.g. openai:gpt-4o-mini).`, 'usage');
    }
    return { model };
  }
  return lanes.length === 1 ? { lane: lanes[0] as LaneName } : {};
}
