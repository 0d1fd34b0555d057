import type { Vendor } from '../shared/provider-spec.ts';
import { createHash } from 'node:crypto';
import { latestCheck, MODELS, PRICE_TABLE_VERSION } from './prices.ts';
import type { ModelInfo, Price, TokenRates } from './price-schema.ts';

/**
 * The price table one Hive runs on: the built-in one, or it merged with the operator's
 * HIVE_PRICES_FILE. A value built by the composition root, so two Hives in one process can price
 * the same call differently.
 */
export interface PriceCatalogue {
  /**
   * Finds a model by exact id or alias, ignoring case and an effort suffix, then with a snapshot date
   * (and Gemini's `models/` prefix) removed. Never guesses further: `gpt-4o-mini-foo` is unknown, so
   * no price is ever borrowed from a different model.
   */
  find(vendor: Vendor, modelId: string): ModelInfo | undefined;
  /** Models for a menu or `/hive models`, optionally one vendor's, in table order. */
  list(vendor?: Vendor): readonly ModelInfo[];
  /**
   * The version stored with each evidence record: the built-in table's latest check date, or, with
   * an operator's table, that date plus a digest of the whole table, so a cost can be traced to the
   * exact prices it was computed with.
   */
  readonly version: string;
}

type Index = ReadonlyMap<Vendor, ReadonlyMap<string, ModelInfo>>;

/** Builds the catalogue of `models`, indexed once so lookups stay cheap; throws if two entries claim one name. */
export function createPriceCatalogue(models: readonly ModelInfo[] = MODELS): PriceCatalogue {
  const index = buildIndex(models);
  const version = models === MODELS ? PRICE_TABLE_VERSION : `${latestCheck(models)}+table:${digest(models)}`;
  return {
    find: (vendor, modelId) => lookup(index, vendor, modelId),
    list: (vendor) => (vendor ? models.filter((m) => m.vendor === vendor) : models),
    version,
  };
}

function digest(models: readonly ModelInfo[]): string {
  return createHash('sha256').update(JSON.stringify(models)).digest('hex').slice(0, 12);
}

/** Lower-cased id or alias → entry, per vendor. */
function buildIndex(models: readonly ModelInfo[]): Index {
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

function lookup(index: Index, vendor: Vendor, modelId: string): ModelInfo | undefined {
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

/** Milliseconds of a table instant: a bare date is midnight UTC. */
function instantMs(s: string): number {
  return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
}

/** Whether a period's rates were in force at `at` (from inclusive, until exclusive). */
export function inForce(p: Pick<Price, 'from' | 'until'>, at: Date): boolean {
  const t = at.getTime();
  return (p.from === undefined || instantMs(p.from) <= t) && (p.until === undefined || t < instantMs(p.until));
}

/**
 * The price in force at `at` (a call is billed at the rate of its start time); undefined when the
 * model has no price for that moment, which shows as "cost unknown".
 */
export function priceAt(model: Pick<ModelInfo, 'prices'>, at: Date): Price | undefined {
  return model.prices.find((p) => inForce(p, at));
}

/** The next period to start after `at`, so menus can announce a dated change. */
export function nextPrice(model: Pick<ModelInfo, 'prices'>, at: Date): Price | undefined {
  const t = at.getTime();
  return model.prices.filter((p) => p.from !== undefined && instantMs(p.from) > t).sort((a, b) => instantMs(a.from!) - instantMs(b.from!))[0];
}

/** The tier a prompt of `promptTokens` (cache reads and writes included) is billed at: above the threshold, every token. */
export function tierRates(price: Price, promptTokens: number): { rates: TokenRates; long: boolean } {
  const long = price.longContext !== undefined && promptTokens > price.longContext.aboveInputTokens;
  return { rates: long && price.longContext ? price.longContext : price, long };
}
