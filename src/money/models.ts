import type { Vendor } from '../types.ts';
import { MODELS, type ModelInfo } from './prices.ts';

/** Lower-cased id or alias → entry, per vendor; built once so lookups are cheap on every answer. */
const INDEX: ReadonlyMap<Vendor, ReadonlyMap<string, ModelInfo>> = buildIndex(MODELS);

function buildIndex(models: readonly ModelInfo[]): Map<Vendor, Map<string, ModelInfo>> {
  const index = new Map<Vendor, Map<string, ModelInfo>>();
  for (const model of models) {
    let byName = index.get(model.vendor);
    if (!byName) {
      byName = new Map();
      index.set(model.vendor, byName);
    }
    for (const name of [model.id, ...model.aliases]) {
      const key = name.toLowerCase();
      const taken = byName.get(key);
      if (taken && taken !== model) throw new Error(`model name ${name} is claimed by ${taken.id} and ${model.id}`);
      byName.set(key, model);
    }
  }
  return index;
}

/** A trailing snapshot date: `-20250514` (Anthropic) or `-2024-08-06` (OpenAI). */
const DATED_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;
/** Gemini's REST resource prefix, as reported in some responses. */
const GEMINI_PREFIX = 'models/';

/**
 * Finds a model by exact id or alias, ignoring case, then with a snapshot date (and Gemini's
 * `models/` prefix) removed. Never guesses further: `gpt-4o-mini-foo` is unknown, so no price is
 * ever borrowed from a different model.
 */
export function findModel(vendor: Vendor, modelId: string): ModelInfo | undefined {
  const byName = INDEX.get(vendor);
  if (!byName) return undefined;
  const name = modelId.trim().toLowerCase();
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
  return vendor ? MODELS.filter((m) => m.vendor === vendor) : MODELS;
}
