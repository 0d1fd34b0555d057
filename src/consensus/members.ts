import { addKeyHint, noUsableLaneKey, noUsableModelKey } from '../routing/no-usable-key.ts';
import type { LaneTable } from '../settings/settings.ts';
import type { LaneName, ModelRef } from '../shared/types.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDORS } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';

/** Who sits on the panel, from which lane and why, plus what to tell a user with a thin panel. */
export interface MemberPlan {
  members: ModelRef[];
  lane: LaneName;
  reason: string;
  /** Set when only one vendor could take part: says why and how to add the others. */
  alone?: string;
}

/** What the user asked for: explicit models, or a lane (balanced by default). */
export interface MemberRequest {
  models?: readonly ModelRef[];
  lane?: LaneName;
}

/**
 * Picks the panel: the named models, or one model per vendor with a usable key from the lane's
 * list (its first model of each vendor), so each member is a different vendor's view.
 */
export function pickMembers(req: MemberRequest, lanes: LaneTable, usable: ReadonlySet<Vendor>): MemberPlan {
  if (req.models && req.models.length > 0) return namedMembers(req.models, usable);
  const lane = req.lane ?? 'balanced';
  const reason = req.lane ? `--${lane}` : 'consensus default';
  const members: ModelRef[] = [];
  for (const ref of lanes[lane]) {
    if (usable.has(ref.vendor) && !members.some((m) => m.vendor === ref.vendor)) members.push(ref);
  }
  if (members.length === 0) throw noUsableLaneKey(lane, lanes, usable);
  return { members, lane, reason, ...(members.length === 1 ? { alone: aloneNote(members[0]!, lanes[lane], usable) } : {}) };
}

function namedMembers(models: readonly ModelRef[], usable: ReadonlySet<Vendor>): MemberPlan {
  const members: ModelRef[] = [];
  for (const ref of models) {
    if (!usable.has(ref.vendor)) throw noUsableModelKey(ref, 'or leave that model out');
    if (!members.some((m) => m.vendor === ref.vendor && m.model === ref.model)) members.push(ref);
  }
  const alone = members.length === 1 ? `Only one model was named (${members[0]!.model}), so this is its answer alone, not a consensus.` : undefined;
  return { members, lane: 'balanced', reason: '--models', ...(alone ? { alone } : {}) };
}

/** Explains a one-vendor panel: which vendors lack a key (or a model in this lane) and the fix. */
function aloneNote(only: ModelRef, laneModels: readonly ModelRef[], usable: ReadonlySet<Vendor>): string {
  const label = VENDOR_INFO[only.vendor].label;
  const keyless = VENDORS.filter((v) => v !== only.vendor && !usable.has(v)).map((v) => VENDOR_INFO[v].label);
  const laneless = VENDORS.filter((v) => v !== only.vendor && usable.has(v) && !laneModels.some((m) => m.vendor === v)).map((v) => VENDOR_INFO[v].label);
  const why = [
    ...(keyless.length > 0 ? [`${keyless.join(' and ')} ${keyless.length === 1 ? 'has' : 'have'} no usable key`] : []),
    ...(laneless.length > 0 ? [`${laneless.join(' and ')} ${laneless.length === 1 ? 'has' : 'have'} no model in this lane`] : []),
  ].join('; ');
  const fix = keyless.length > 0 ? ` An admin can add keys with ${addKeyHint()}.` : '';
  return `Only ${label} is available (${why}), so this is ${only.model}'s answer alone, not a consensus.${fix}`;
}
