import { shown } from '../src/chat/args.ts';
import type { HiveContext } from '../src/command/command.ts';
import { UserError } from '../src/shared/errors.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import { isRetired } from '../src/models/model-availability.ts';
import type { PriceCatalogue } from '../src/models/price-catalogue.ts';
import { isKnownCurrent } from '../src/models/model-availability.ts';
import { priceAt } from '../src/models/price-catalogue.ts';
import type { WorkspaceSettings } from '../src/settings/settings.ts';
import { LANES, formatModelRef, parseVendor, type LaneName, type ModelRef } from '../src/shared/types.ts';
import { VENDORS } from '../src/shared/provider-spec.ts';
import { limitsFor } from '../src/pacing/pacer-limits.ts';
import { noMoreArgs, requireAdmin } from './admin.ts';
import type { HiveVerb } from './hive-verb.ts';
import { describeLimitChange, limitsText, parseLimitChanges } from './lane-limits.ts';
import { modelCheck, parseModelArg } from './model-arg.ts';
import { applyLaneOrPolicy, defaultLine, describeChoice, parseLaneOrPolicy } from './lane-policy.ts';

const USAGE =
  '/hive lanes [set <lane> <provider:model,…> | reset [lane] | default <lane|auto|cheap-first|learned [N%]> | channel <lane|auto|cheap-first|learned [N%]> | judge <provider:model|auto> | limits <vendor> rpm=N itpm=N otpm=N tpm=N concurrency=N]';

/** `/hive lanes`: which models each lane uses, the default lanes, and each vendor key's rate limits that Hive paces calls by. */
export const lanesVerb: HiveVerb = {
  name: 'lanes',
  usage: USAGE,
  summary: 'Show or change lane models, default lanes, and the key rate limits Hive paces calls by.',
  async run(inv, ctx, args) {
    const [sub = '', ...rest] = args.split(/\s+/).filter(Boolean);
    if (sub === '') return show(inv, ctx);
    await requireAdmin(inv, 'change lanes');
    const summary = await change(inv, ctx, sub.toLowerCase(), rest);
    return { text: `${summary}\n${(await show(inv, ctx)).text}`, visibility: 'private' };
  },
};

async function change(inv: Invocation, ctx: HiveContext, sub: string, rest: string[]): Promise<string> {
  const update = (f: (s: WorkspaceSettings) => void) => ctx.settings.update(inv.workspaceId, f);
  if (sub === 'set') return setLane(inv, ctx, rest);
  if (sub === 'reset') return reset(inv, ctx, rest);
  if (sub === 'default' || sub === 'channel') {
    const choice = parseLaneOrPolicy(rest, USAGE);
    await update((s) => applyLaneOrPolicy(s, choice, sub === 'channel' ? inv.channelId : undefined));
    return describeChoice(choice, sub === 'channel');
  }
  if (sub === 'limits') return setLimits(inv, ctx, rest);
  if (sub === 'judge') {
    const judge = rest[0]?.toLowerCase() === 'auto' ? undefined : parseModelArg(rest[0], 'The judge', USAGE, modelCheck(ctx));
    noMoreArgs(rest.slice(1), USAGE);
    await update((s) => void (s.consensusJudge = judge ? formatModelRef(judge) : undefined));
    return `Consensus verdicts are written by ${judge ? formatModelRef(judge) : 'a balanced model of a vendor that answered'}.`;
  }
  return bad(`Unknown lanes action "${shown(sub)}"`);
}

async function setLane(inv: Invocation, ctx: HiveContext, rest: string[]): Promise<string> {
  const lane = laneArg(rest[0]);
  const items = (rest[1] ?? '').split(',').filter(Boolean);
  if (items.length === 0) bad('List at least one provider:model');
  noMoreArgs(rest.slice(2), USAGE);
  const check = modelCheck(ctx);
  const refs: ModelRef[] = items.map((t) => parseModelArg(t, 'A lane entry', USAGE, check));
  await ctx.settings.update(inv.workspaceId, (s) => void (s.lanes = { ...s.lanes, [lane]: refs.map(formatModelRef) }));
  const unpriced = refs.filter((r) => !isPricedAt(ctx.catalogue, r, check.at)).map(formatModelRef);
  return `The ${lane} lane now uses ${refs.map(formatModelRef).join(', ')}.${unpriced.length ? ` No price known for ${unpriced.join(', ')}: their cost shows as unknown and budgets refuse them.` : ''}`;
}

/** `reset <lane>` resets that lane's models; `reset` resets everything the overview lists. */
async function reset(inv: Invocation, ctx: HiveContext, rest: string[]): Promise<string> {
  const lane = rest[0] ? laneArg(rest[0]) : undefined;
  noMoreArgs(rest.slice(1), USAGE);
  if (lane) {
    await ctx.settings.update(inv.workspaceId, (s) => void (s.lanes = { ...s.lanes, [lane]: undefined }));
    return `Reset the ${lane} lane's models to the defaults.`;
  }
  await ctx.settings.update(inv.workspaceId, (s) => {
    delete s.lanes;
    delete s.defaultLane;
    delete s.routingPolicy;
    delete s.consensusJudge;
    delete s.vendorLimits;
    applyLaneOrPolicy(s, { policy: { name: 'rules' } }, inv.channelId);
  });
  for (const v of VENDORS) ctx.pacer.reconfigure(inv.workspaceId, v);
  return `Reset to the defaults: the models of every lane (${LANES.join(', ')}), the workspace default lane, this channel's lane, the consensus judge, and the rate limits Hive paces every vendor's key by (${VENDORS.join(', ')}). Other channels keep their own lanes.`;
}

async function setLimits(inv: Invocation, ctx: HiveContext, rest: string[]): Promise<string> {
  const v = parseVendor(rest[0]) ?? bad(`Name a vendor: ${VENDORS.join(', ')}`);
  const patch = parseLimitChanges(rest.slice(1), USAGE);
  const before = limitsFor(v, (await ctx.settings.get(inv.workspaceId)).vendorLimits?.[v]);
  await ctx.settings.update(inv.workspaceId, (s) => void (s.vendorLimits = { ...s.vendorLimits, [v]: { ...s.vendorLimits?.[v], ...patch } }));
  ctx.pacer.reconfigure(inv.workspaceId, v);
  return describeLimitChange(v, before, patch);
}

async function show(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const s = await ctx.settings.get(inv.workspaceId);
  const lanes = await ctx.settings.lanes(inv.workspaceId);
  const keys = new Set((await ctx.keys.list(inv.workspaceId)).filter((k) => k.health === 'ok' || k.health === 'unverified').map((k) => k.vendor));
  const at = ctx.now();
  const lines = LANES.map((l) => `• *${l}*: ${lanes[l].map((r) => laneEntry(ctx.catalogue, r, keys.has(r.vendor), at)).join(', ')}`);
  lines.push(defaultLine(s, inv.channelId));
  lines.push(`Consensus judge: ${s.consensusJudge ?? 'automatic'}`);
  for (const v of VENDORS.filter((x) => keys.has(x))) {
    const st = ctx.pacer.stats(inv.workspaceId, v);
    lines.push(`Vendor pace ${v}: ${limitsText(st.limits)} per model · ${st.inFlight} in flight, ${st.queued} waiting`);
  }
  return { text: lines.join('\n'), visibility: 'private' };
}

/** ✓ for a model a job can use; ✗ for one without a key, or one no job can use (unknown, retired), saying why. */
function laneEntry(catalogue: PriceCatalogue, r: ModelRef, keyed: boolean, at: Date): string {
  const why = isRetired(catalogue, r, at) ? ' (retired)' : isKnownCurrent(catalogue, r, at) ? '' : ' (unknown model)';
  return `${keyed && why === '' ? '✓' : '✗'} ${formatModelRef(r)}${why}`;
}

function isPricedAt(catalogue: PriceCatalogue, r: ModelRef, at: Date): boolean {
  const model = catalogue.find(r.vendor, r.model);
  return model !== undefined && priceAt(model, at) !== undefined;
}

function laneArg(t: string | undefined): LaneName {
  const name = t?.toLowerCase();
  if (!name || !(LANES as readonly string[]).includes(name))
    bad(t ? `"${shown(t)}" is not a lane: name one of ${LANES.join(', ')}` : `Name a lane: ${LANES.join(', ')}`);
  return name as LaneName;
}

function bad(msg: string): never {
  throw new UserError(`${msg}.\nUsage: ${USAGE}`, 'usage');
}
