import { UserError } from '../errors.ts';
import type { LaneName, ModelRef, Vendor } from '../types.ts';
import { formatModelRef } from '../types.ts';
import { VENDOR_INFO } from '../vendors/vendor-info.ts';

/** Both ways an admin adds a key (chat and shell), so every "no usable key" refusal names the same fix. */
export function addKeyHint(vendor?: Vendor): string {
  return `\`/hive keys\` or \`npm run hive -- keys set --workspace <workspace> --vendor ${vendor ?? '<vendor>'}\``;
}

/** Refuses a lane whose vendors all lack a usable key, naming the vendors it would have used. */
export function noUsableLaneKey(lane: LaneName, laneModels: readonly ModelRef[]): UserError {
  const wanted = [...new Set(laneModels.map((m) => VENDOR_INFO[m.vendor].label))].join(', ');
  return new UserError(
    `No usable key for the ${lane} lane (it uses ${wanted || 'no models'}). An admin can add a key with ${addKeyHint()}, or pick another lane.`,
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
