import type { ModelRef } from '../shared/types.ts';
import type { Vendor } from '../shared/provider-spec.ts';

/**
 * Which model writes the synthesis: the configured one when its vendor has a usable key, else the
 * first balanced-lane model of a vendor that answered (that vendor just proved healthy), else the
 * first answering member itself.
 */
export function chooseJudge(
  configured: ModelRef | undefined,
  balanced: readonly ModelRef[],
  answered: readonly ModelRef[],
  usable: ReadonlySet<Vendor>,
): ModelRef | undefined {
  if (configured && usable.has(configured.vendor)) return configured;
  const vendors = new Set(answered.map((r) => r.vendor));
  return balanced.find((m) => vendors.has(m.vendor)) ?? answered[0];
}

/** Every model that might end up judging, for a worst-case estimate before anyone answered. */
export function possibleJudges(
  configured: ModelRef | undefined,
  balanced: readonly ModelRef[],
  members: readonly ModelRef[],
  usable: ReadonlySet<Vendor>,
): ModelRef[] {
  if (configured && usable.has(configured.vendor)) return [configured];
  const vendors = new Set(members.map((r) => r.vendor));
  const fromLane = balanced.filter((m) => vendors.has(m.vendor));
  return [...fromLane, ...members.filter((m) => !fromLane.some((f) => f.vendor === m.vendor))];
}
