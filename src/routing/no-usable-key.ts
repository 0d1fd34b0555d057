import { UserError } from '../shared/errors.ts';
import { term } from '../shared/platform-terms.ts';
import type { LaneName, ModelRef } from '../shared/types.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { formatModelRef, LANES } from '../shared/types.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';

/** Every way an admin adds a key where the refusal is read, so every "no usable key" refusal names the same fix. */
export function addKeyHint(vendor?: Vendor): string {
  return term.addKey(vendor);
}

/**
 * Refuses a lane whose vendors all lack a usable key, naming the vendors it would have used; another
 * lane is suggested only when one of them has a model a usable key can run.
 */
export function noUsableLaneKey(lane: LaneName, lanes: Readonly<Record<LaneName, readonly ModelRef[]>>, usable: ReadonlySet<Vendor>): UserError {
  const wanted = [...new Set(lanes[lane].map((m) => VENDOR_INFO[m.vendor].label))].join(', ');
  const other = LANES.find((l) => l !== lane && lanes[l].some((m) => usable.has(m.vendor)));
  const around = other ? `, or pick the ${other} lane (${term.option(other)})` : '';
  return new UserError(
    `No usable key for the ${lane} lane (it uses ${wanted || 'no models'}). An admin can add a key with ${addKeyHint()}${around}.`,
    'no_usable_key',
  );
}

/** Refuses a named model whose vendor has no usable key; `otherwise` is the way around it where it was named. */
export function noUsableModelKey(ref: ModelRef, otherwise?: string): UserError {
  const around = otherwise ? `, ${otherwise}` : '';
  return new UserError(
    `No usable ${VENDOR_INFO[ref.vendor].label} key for ${formatModelRef(ref)}. An admin can add one with ${addKeyHint(ref.vendor)}${around}.`,
    'no_usable_key',
  );
}
