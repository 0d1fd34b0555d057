import { UserError } from '../shared/errors.ts';
import { formatModelRef, type ModelRef } from '../shared/types.ts';
import { VENDOR_INFO } from './vendor-info.ts';
import { type PriceCatalogue, splitEffort } from './price-catalogue.ts';

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

/** How many model ids a refusal of an unknown one offers instead. */
const SUGGESTIONS = 3;

/** The vendor's priced, current model ids nearest to `typed` by edit distance (table order breaks ties); never a retired one. */
export function nearestModels(catalogue: PriceCatalogue, ref: ModelRef, at: Date, n = SUGGESTIONS): string[] {
  const typed = splitEffort(ref.model).id.toLowerCase();
  return catalogue
    .list(ref.vendor)
    .filter((m) => m.prices.length > 0 && !isRetired(catalogue, { vendor: m.vendor, model: m.id }, at))
    .map((m, i) => ({ id: m.id, i, d: distance(typed, m.id.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, n)
    .map((m) => formatModelRef({ vendor: ref.vendor, model: m.id }));
}

/**
 * The refusal for a model the price table does not know, or undefined for a known one. Asked
 * before any call: an unknown id is most often a typo, and a vendor call for it either fails or
 * runs at a cost no one can tell. OpenAI fine-tunes (`ft:…`) are the account's own and pass.
 */
export function unknownModelRefusal(catalogue: PriceCatalogue, ref: ModelRef, at: Date): UserError | undefined {
  if (catalogue.find(ref.vendor, ref.model) || isFineTune(ref)) return undefined;
  const near = nearestModels(catalogue, ref, at);
  const hint = near.length > 0 ? ` Did you mean ${near.join(', ')}?` : '';
  return new UserError(
    `Hive does not know the ${VENDOR_INFO[ref.vendor].label} model ${formatModelRef(ref)}.${hint} \`/hive models\` lists them all; an operator adds a new one with HIVE_PRICES_FILE.`,
    'model_unknown',
  );
}

/** Whether a model is one a lane or `--model` can use now: in the table (or a fine-tune) and not retired. */
export function isKnownCurrent(catalogue: PriceCatalogue, ref: ModelRef, at: Date): boolean {
  return unknownModelRefusal(catalogue, ref, at) === undefined && !isRetired(catalogue, ref, at);
}

function isFineTune(ref: ModelRef): boolean {
  return ref.vendor === 'openai' && ref.model.startsWith('ft:');
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
