import { UserError } from '../errors.ts';
import { formatModelRef, type ModelRef } from '../types.ts';
import { VENDOR_INFO } from '../vendors/vendor-info.ts';
import { findModel } from './models.ts';

/** Whether the vendor has retired the model by `at` (a retirement without a date is already in effect). */
export function isRetired(ref: ModelRef, at: Date): boolean {
  const r = findModel(ref.vendor, ref.model)?.retired;
  return r !== undefined && (r.on === undefined || Date.parse(`${r.on}T00:00:00Z`) <= at.getTime());
}

/**
 * The refusal for a retired model, naming its successor, or undefined while it is served. Asked
 * before any call, so a retired model never costs a request that can only fail.
 */
export function retiredRefusal(ref: ModelRef, at: Date): UserError | undefined {
  if (!isRetired(ref, at)) return undefined;
  const info = findModel(ref.vendor, ref.model)!;
  const retired = info.retired!;
  const next = formatModelRef({ vendor: ref.vendor, model: retired.successor });
  const when = retired.on ? ` on ${retired.on}` : '';
  return new UserError(
    `${info.label} (${formatModelRef({ vendor: ref.vendor, model: info.id })}) was retired by ${VENDOR_INFO[ref.vendor].label}${when}. ` +
      `Use its successor ${next} instead (\`--model ${next}\`; an admin can update lanes with \`/hive lanes set <lane> …\`).`,
    'model_retired',
  );
}
