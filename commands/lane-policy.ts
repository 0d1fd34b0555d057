import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import { LANES, type LaneName } from '../src/shared/types.ts';
import { DEFAULT_STRONG_SHARE, POLICY_NAMES, policyText, type PolicyChoice } from '../src/settings/routing-policy.ts';
import { routingDefaultOf, type WorkspaceSettings } from '../src/settings/settings.ts';

/** What `/hive lanes default|channel` sets: a fixed lane, or a policy (`auto` is the rules). */
export type LaneOrPolicy = { lane: LaneName } | { policy: PolicyChoice };

const WORDS = [...LANES, 'auto', ...POLICY_NAMES].join('|');

/** The usage of the words after `default` and `channel`. */
export const LANE_OR_POLICY_USAGE = `<${WORDS}> [strong share, e.g. 40%]`;

/** Reads `cheap`, `auto`, `rules`, `cheap-first`, `learned 40%`. */
export function parseLaneOrPolicy(args: readonly string[], usage: string): LaneOrPolicy {
  const word = args[0]?.toLowerCase();
  const bad = (msg: string): never => {
    throw new UserError(`${msg}.\nUsage: ${usage}`, 'usage');
  };
  if (!word) return bad(`Name a lane or a policy: ${WORDS.replaceAll('|', ', ')}`);
  if (word !== 'learned' && args.length > 1) bad(`Unexpected "${shown(args.slice(1).join(' '))}"`);
  if ((LANES as readonly string[]).includes(word)) return { lane: word as LaneName };
  if (word === 'auto' || word === 'rules') return { policy: { name: 'rules' } };
  if (word === 'cheap-first') return { policy: { name: 'cheap-first' } };
  if (word !== 'learned') return bad(`"${shown(args[0]!)}" is neither a lane nor a policy: name one of ${WORDS.replaceAll('|', ', ')}`);
  if (args.length > 2) bad(`Unexpected "${shown(args.slice(2).join(' '))}"`);
  return { policy: { name: 'learned', strongShare: args[1] === undefined ? DEFAULT_STRONG_SHARE : shareArg(args[1], bad) } };
}

function shareArg(t: string, bad: (msg: string) => never): number {
  const m = /^(\d{1,3})%?$/.exec(t);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 5 && n <= 95)) bad(`"${shown(t)}" is not a share of strong calls: give a percentage from 5% to 95%`);
  return n / 100;
}

/** Writes the choice for the workspace or this channel; a lane there clears its policy and the reverse. */
export function applyLaneOrPolicy(s: WorkspaceSettings, choice: LaneOrPolicy, channelId: string | undefined): void {
  const lane = 'lane' in choice ? choice.lane : undefined;
  const policy = 'policy' in choice && choice.policy.name !== 'rules' ? choice.policy : undefined;
  if (channelId === undefined) {
    s.defaultLane = lane;
    s.routingPolicy = policy;
    return;
  }
  s.channelLanes = withEntry(s.channelLanes, channelId, lane);
  s.channelPolicies = withEntry(s.channelPolicies, channelId, policy);
}

/** `Workspace default: learned (40% strong).` */
export function describeChoice(choice: LaneOrPolicy, channel: boolean): string {
  const who = channel ? "This channel's default" : 'Workspace default';
  if ('lane' in choice) return `${who} lane: ${choice.lane}.`;
  return `${who}: ${policyText(choice.policy)} — ${POLICY_HELP[choice.policy.name]}`;
}

const POLICY_HELP: Record<PolicyChoice['name'], string> = {
  rules: 'jobs without a lane flag are routed by keyword rules.',
  'cheap-first': 'the cheap lane answers first and hands the job to the balanced lane when its model says it is unsure.',
  learned: 'a classifier trained on public results, adjusted by this workspace’s re-runs and votes, decides which jobs need a strong lane.',
};

/** The `/hive lanes` line for what routes this channel's jobs. */
export function defaultLine(s: WorkspaceSettings, channelId: string): string {
  const d = routingDefaultOf(s, channelId);
  const where = d?.scope === 'channel' ? ' (this channel)' : '';
  if (!d) return 'Default lane: automatic (rules)';
  return 'lane' in d ? `Default lane: ${d.lane}${where}` : `Default: ${policyText(d.policy)}${where}`;
}

function withEntry<T>(m: Record<string, T> | undefined, k: string, v: T | undefined): Record<string, T> {
  const out = { ...(m ?? {}) };
  if (v === undefined) delete out[k];
  else out[k] = v;
  return out;
}
