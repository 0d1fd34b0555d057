import type { HiveContext } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import type { Invocation, Reply } from '../src/invocation.ts';
import { findModel } from '../src/models.ts';
import type { WorkspaceSettings } from '../src/settings.ts';
import { LANES, VENDORS, formatModelRef, parseModelRef, parseVendor, type LaneName } from '../src/types.ts';
import type { VendorLimits } from '../src/vendor-limits.ts';
import { requireAdmin } from './admin.ts';
import type { HiveVerb } from './hive.ts';

const USAGE = '/hive lanes [set <lane> <provider:model,…> | reset [lane] | default <lane|auto> | channel <lane|auto> | judge <provider:model|auto> | limits <vendor> rpm=N itpm=N otpm=N tpm=N concurrency=N]';
const LIMIT_FIELDS = ['rpm', 'itpm', 'otpm', 'tpm', 'concurrency', 'periodMs'] as const;

/** `/hive lanes`: which models each lane uses, the default lanes, and each vendor lane's limits. */
export const lanesVerb: HiveVerb = {
  name: 'lanes',
  usage: USAGE,
  summary: 'Show or change lane models, default lanes and vendor rate limits.',
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
  if (sub === 'set') {
    const lane = laneArg(rest[0]);
    const refs = (rest[1] ?? '').split(',').filter(Boolean).map((t) => parseModelRef(t) ?? bad(`"${t}" is not provider:model`));
    if (refs.length === 0) bad('List at least one provider:model');
    await update((s) => void (s.lanes = { ...s.lanes, [lane]: refs.map(formatModelRef) }));
    const unpriced = refs.filter((r) => !findModel(r.vendor, r.model)?.price).map(formatModelRef);
    return `The ${lane} lane now uses ${refs.map(formatModelRef).join(', ')}.${unpriced.length ? ` No price known for ${unpriced.join(', ')}: their cost shows as unknown and budgets refuse them.` : ''}`;
  }
  if (sub === 'reset') {
    const lane = rest[0] ? laneArg(rest[0]) : undefined;
    await update((s) => void (s.lanes = lane ? { ...s.lanes, [lane]: undefined } : undefined));
    return `Reset ${lane ?? 'all lanes'} to the defaults.`;
  }
  if (sub === 'default' || sub === 'channel') {
    const lane = rest[0] === 'auto' ? undefined : laneArg(rest[0]);
    if (sub === 'default') await update((s) => void (s.defaultLane = lane));
    else await update((s) => void (s.channelLanes = withEntry(s.channelLanes, inv.channelId, lane)));
    return `${sub === 'default' ? 'Workspace' : 'This channel\'s'} default lane: ${lane ?? 'automatic'}.`;
  }
  if (sub === 'limits') return setLimits(inv, ctx, rest);
  if (sub === 'judge') {
    const judge = rest[0] === 'auto' ? undefined : (parseModelRef(rest[0] ?? '') ?? bad(`"${rest[0] ?? ''}" is not provider:model or auto`));
    await update((s) => void (s.consensusJudge = judge ? formatModelRef(judge) : undefined));
    return `Consensus verdicts are written by ${judge ? formatModelRef(judge) : 'a balanced model of a vendor that answered'}.`;
  }
  return bad(`Unknown lanes action "${sub}"`);
}

async function setLimits(inv: Invocation, ctx: HiveContext, rest: string[]): Promise<string> {
  const v = parseVendor(rest[0]) ?? bad(`Name a vendor: ${VENDORS.join(', ')}`);
  const patch: Partial<VendorLimits> = {};
  for (const pair of rest.slice(1)) {
    const [k, val] = pair.split('=');
    const n = Number(val);
    if (!LIMIT_FIELDS.includes(k as (typeof LIMIT_FIELDS)[number]) || !Number.isInteger(n) || n <= 0) bad(`"${pair}" should be one of ${LIMIT_FIELDS.join(', ')} = a positive whole number`);
    patch[k as (typeof LIMIT_FIELDS)[number]] = n;
  }
  await ctx.settings.update(inv.workspaceId, (s) => void (s.vendorLimits = { ...s.vendorLimits, [v]: { ...s.vendorLimits?.[v], ...patch } }));
  ctx.vendorLanes.reconfigure(inv.workspaceId, v);
  return `Updated ${v} limits.`;
}

async function show(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const s = await ctx.settings.get(inv.workspaceId);
  const lanes = await ctx.settings.lanes(inv.workspaceId);
  const keys = new Set((await ctx.keys.list(inv.workspaceId)).filter((k) => k.health === 'ok' || k.health === 'unverified').map((k) => k.vendor));
  const lines = LANES.map((l) => `• *${l}*: ${lanes[l].map((r) => `${keys.has(r.vendor) ? '✓' : '✗'} ${formatModelRef(r)}`).join(', ')}`);
  lines.push(`Default lane: ${s.channelLanes?.[inv.channelId] ? `${s.channelLanes[inv.channelId]} (this channel)` : (s.defaultLane ?? 'automatic')}`);
  lines.push(`Consensus judge: ${s.consensusJudge ?? 'automatic'}`);
  for (const v of VENDORS.filter((x) => keys.has(x))) {
    const st = ctx.vendorLanes.stats(inv.workspaceId, v);
    const lim = LIMIT_FIELDS.filter((f) => st.limits[f] !== undefined).map((f) => `${f} ${st.limits[f]}`).join(', ');
    lines.push(`Vendor lane ${v}: ${lim} · ${st.inFlight} in flight, ${st.queued} waiting`);
  }
  return { text: lines.join('\n'), visibility: 'private' };
}

function laneArg(t: string | undefined): LaneName {
  if (!t || !(LANES as readonly string[]).includes(t)) bad(`Name a lane: ${LANES.join(', ')}`);
  return t as LaneName;
}

function withEntry(m: Record<string, LaneName> | undefined, k: string, v: LaneName | undefined): Record<string, LaneName> {
  const out = { ...(m ?? {}) };
  if (v === undefined) delete out[k];
  else out[k] = v;
  return out;
}

function bad(msg: string): never {
  throw new UserError(`${msg}.\nUsage: ${USAGE}`, 'usage');
}
