import { UserError } from '../shared/errors.ts';
import { formatModelRef, type ModelRef } from '../shared/types.ts';
import { VENDOR_INFO } from './vendor-info.ts';
import type { PriceCatalogue } from './price-catalogue.ts';

/** Whether the vendor has retired the model by `at` (a retirement without a date is already in effect). */
export function isRetired(catalogue: PriceCatalogue, ref: ModelRef, at: Date): boolean {
  const r = catalogue.find(ref.vendor, ref.model)?.retired;
  return r !== undefined && (r.on === undefined || Date.parse(`${r.on}T00:00:00Z`) <= at.getTime());
}

/**
 * The model to use instead of a retired one at `at`: its named successor, or, when that one has
 * retired too (Gemini 2.0 Flash → 2.5 Flash → 3.5 Flash-Lite), the first successor still served,
 * so a refusal never sends a user to another refusal.
 */
export function currentSuccessor(catalogue: PriceCatalogue, ref: ModelRef, at: Date): string | undefined {
  const seen = new Set<string>();
  let id = catalogue.find(ref.vendor, ref.model)?.retired?.successor;
  while (id !== undefined && !seen.has(id) && isRetired(catalogue, { vendor: ref.vendor, model: id }, at)) {
    seen.add(id);
    id = catalogue.find(ref.vendor, id)?.retired?.successor ?? id;
  }
  return id;
}

/**
 * The refusal for a retired model, naming its successor, or undefined while it is served. Asked
 * before any call, so a retired model never costs a request that can only fail.
 */
export function retiredRefusal(catalogue: PriceCatalogue, ref: ModelRef, at: Date): UserError | undefined {
  if (!isRetired(catalogue, ref, at)) return undefined;
  const info = catalogue.find(ref.vendor, ref.model)!;
  const retired = info.retired!;
  const next = formatModelRef({ vendor: ref.vendor, model: currentSuccessor(catalogue, ref, at) ?? retired.successor });
  const when = retired.on ? ` on ${retired.on}` : '';
  return new UserError(
    `${info.label} (${formatModelRef({ vendor: ref.vendor, model: info.id })}) was retired by ${VENDOR_INFO[ref.vendor].label}${when}. ` +
      `Use its successor ${next} instead (\`--model ${next}\`; an admin can update lanes with \`/hive lanes set <lane> …\`).`,
    'model_retired',
  );
}
