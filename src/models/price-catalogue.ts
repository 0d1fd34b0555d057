import type { Vendor } from '../shared/provider-spec.ts';
import { createHash } from 'node:crypto';
import { latestCheck, MODELS, PRICE_TABLE_VERSION, type ModelInfo } from './prices.ts';

type Index = ReadonlyMap<Vendor, ReadonlyMap<string, ModelInfo>>;

/** The table in use: the built-in one, or it merged with the operator's HIVE_PRICES_FILE. */
let table: readonly ModelInfo[] = MODELS;
/** Lower-cased id or alias → entry, per vendor; rebuilt only when the table changes, so lookups stay cheap. */
let index: Index = buildIndex(MODELS);

function buildIndex(models: readonly ModelInfo[]): Map<Vendor, Map<string, ModelInfo>> {
  const byVendor = new Map<Vendor, Map<string, ModelInfo>>();
  for (const model of models) {
    let byName = byVendor.get(model.vendor);
    if (!byName) {
      byName = new Map();
      byVendor.set(model.vendor, byName);
    }
    for (const name of [model.id, ...model.aliases]) {
      const key = name.toLowerCase();
      const taken = byName.get(key);
      if (taken && taken !== model) throw new Error(`model name ${name} is claimed by ${taken.id} and ${model.id}`);
      byName.set(key, model);
    }
  }
  return byVendor;
}

/** The version stored with each evidence record; see `usePriceTable`. */
let version = PRICE_TABLE_VERSION;

/** Switches every lookup to `models` (start-up, after HIVE_PRICES_FILE is merged); throws if two entries claim one name. */
export function usePriceTable(models: readonly ModelInfo[]): void {
  index = buildIndex(models);
  table = models;
  version =
    models === MODELS ? PRICE_TABLE_VERSION : `${latestCheck(models)}+table:${createHash('sha256').update(JSON.stringify(models)).digest('hex').slice(0, 12)}`;
}

/**
 * The price table in use, for the evidence record: the built-in table's latest check date, or, with
 * an operator's HIVE_PRICES_FILE merged in, that date plus a digest of the whole merged table, so a
 * cost can be traced to the exact prices it was computed with.
 */
export function priceTableVersion(): string {
  return version;
}

/** A trailing snapshot date: `-20250514` (Anthropic) or `-2024-08-06` (OpenAI). */
const DATED_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;
/** Gemini's REST resource prefix, as reported in some responses. */
const GEMINI_PREFIX = 'models/';
/** A lane entry's effort: `claude-opus-5-5@high`. */
const EFFORT_SUFFIX = /@([A-Za-z]+)$/;

/** Splits `claude-opus-5-5@high` into the model id and the effort (lower-cased); the vendor never sees the suffix. */
export function splitEffort(model: string): { id: string; effort?: string } {
  const m = EFFORT_SUFFIX.exec(model);
  return m ? { id: model.slice(0, m.index), effort: m[1]!.toLowerCase() } : { id: model };
}

/**
 * Finds a model by exact id or alias, ignoring case and an effort suffix, then with a snapshot date
 * (and Gemini's `models/` prefix) removed. Never guesses further: `gpt-4o-mini-foo` is unknown, so
 * no price is ever borrowed from a different model.
 */
export function findModel(vendor: Vendor, modelId: string): ModelInfo | undefined {
  const byName = index.get(vendor);
  if (!byName) return undefined;
  const name = splitEffort(modelId.trim()).id.toLowerCase();
  if (name === '') return undefined;
  const direct = byName.get(name);
  if (direct) return direct;
  const stripped = stripDecorations(vendor, name);
  return stripped === name ? undefined : byName.get(stripped);
}

function stripDecorations(vendor: Vendor, name: string): string {
  const unprefixed = vendor === 'google' && name.startsWith(GEMINI_PREFIX) ? name.slice(GEMINI_PREFIX.length) : name;
  return unprefixed.replace(DATED_SUFFIX, '');
}

/** Models for a menu or `/hive models`, optionally one vendor's, in table order. */
export function listModels(vendor?: Vendor): readonly ModelInfo[] {
  return vendor ? table.filter((m) => m.vendor === vendor) : table;
}
