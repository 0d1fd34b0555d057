import { autoLane } from './auto-lane.ts';
import { noUsableLaneKey, noUsableModelKey } from './no-usable-key.ts';
import type { PolicyChoice } from '../settings/routing-policy.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { LaneName, ModelRef } from '../shared/types.ts';
import type { Vendor } from '../shared/provider-spec.ts';

/** What the caller asked for; the router fills the gaps in a fixed order of precedence. */
export interface RouteRequest {
  /** `--model provider:model`: pins the model. */
  model?: ModelRef;
  /** `--cheap|--balanced|--deep`. */
  lane?: LaneName;
  /** Why `lane` was asked for when no one typed its flag (a re-run pressed as a button): the plan's reason. */
  laneReason?: string;
  /** The command's own default (digests and summaries go cheap). */
  commandLane?: LaneName;
  /** The workspace's or channel's default lane. */
  workspaceLane?: { lane: LaneName; scope: 'workspace' | 'channel' };
  /** The workspace's or channel's routing policy, when it set one instead of a lane. */
  policy?: PolicyChoice['name'];
  /** The learned policy's verdict on `text` (worked out before planning: it reads the workspace's adjustment). */
  learned?: LearnedVerdict;
  /** The request text, for the automatic choice when nothing else decides. */
  text?: string;
}

/** The lane, why it was chosen, and the models to try in order. */
export interface Plan {
  lane: LaneName;
  reason: string;
  candidates: ModelRef[];
  pinned: boolean;
  /** Cheap first: the answer comes from the cheap lane unless its model says it is unsure, then once from a strong lane. */
  cascade?: true;
}

/** Whether the learned classifier wants a strong lane for a text, and the footer's words for why. */
export interface LearnedVerdict {
  strong: boolean;
  reason: string;
}

/** Picks the lane and the usable models in it; every choice carries its reason. A pinned model's lane is its catalogue entry's. */
export function planRoute(
  catalogue: PriceCatalogue,
  req: RouteRequest,
  lanes: Readonly<Record<LaneName, readonly ModelRef[]>>,
  usable: ReadonlySet<Vendor>,
): Plan {
  if (req.model) return pinnedPlan(catalogue, req.model, usable);
  const [lane, reason] = chooseLane(req);
  const candidates = lanes[lane].filter((m) => usable.has(m.vendor));
  if (candidates.length === 0) throw noUsableLaneKey(lane, lanes, usable);
  const cascade = reason === CHEAP_FIRST && strongLaneUsable(lanes, usable);
  return { lane, reason, candidates, pinned: false, ...(cascade ? { cascade: true as const } : {}) };
}

/** The reason a cheap-first job's plan carries. */
export const CHEAP_FIRST = 'cheap first';

/** A cascade needs somewhere to escalate to: a strong lane with a model of a vendor that has a key. */
function strongLaneUsable(lanes: Readonly<Record<LaneName, readonly ModelRef[]>>, usable: ReadonlySet<Vendor>): boolean {
  return lanes.balanced.some((m) => usable.has(m.vendor));
}

function chooseLane(req: RouteRequest): [LaneName, string] {
  if (req.lane) return [req.lane, req.laneReason ?? `--${req.lane}`];
  if (req.commandLane) return [req.commandLane, 'command default'];
  if (req.workspaceLane) return [req.workspaceLane.lane, `${req.workspaceLane.scope} default`];
  if (req.text === undefined) return ['balanced', 'default'];
  const auto = autoLane(req.text);
  if (req.policy === 'cheap-first') return ['cheap', CHEAP_FIRST];
  if (req.policy === 'learned' && req.learned) return [req.learned.strong ? (auto.lane === 'deep' ? 'deep' : 'balanced') : 'cheap', req.learned.reason];
  return [auto.lane, auto.reason];
}

function pinnedPlan(catalogue: PriceCatalogue, model: ModelRef, usable: ReadonlySet<Vendor>): Plan {
  if (!usable.has(model.vendor)) throw noUsableModelKey(model);
  const lane = catalogue.find(model.vendor, model.model)?.lane ?? 'balanced';
  return { lane, reason: '--model', candidates: [model], pinned: true };
}
