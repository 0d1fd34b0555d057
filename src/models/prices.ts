import { modelEntrySchema, type ModelEntryInput, type ModelInfo } from './price-schema.ts';
import { ANTHROPIC_MODELS } from './prices-anthropic.ts';
import { GOOGLE_MODELS } from './prices-google.ts';
import { OPENAI_MODELS } from './prices-openai.ts';

export type { ModelInfo, Price, TokenRates } from './price-schema.ts';

/** Validates the built-in rows with the same schema operators' files go through; a bad row is a bug, so it throws. */
function validated(rows: readonly ModelEntryInput[]): readonly ModelInfo[] {
  return rows.map((row) => {
    const r = modelEntrySchema.safeParse(row);
    if (r.success) return r.data;
    const where = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`built-in price table, ${row.vendor}:${row.id}: ${where}`);
  });
}

/**
 * Every model Hive ships with, priced where the price is known: the table operators extend or
 * correct with HIVE_PRICES_FILE (see price-file.ts). Dated periods keep old rates for old calls.
 */
export const MODELS: readonly ModelInfo[] = validated([...ANTHROPIC_MODELS, ...OPENAI_MODELS, ...GOOGLE_MODELS]);

/** The latest date any price in a table was checked, stored with evidence so a cost can be traced to its prices. */
export function latestCheck(models: readonly ModelInfo[]): string {
  return models.reduce((latest, m) => m.prices.reduce((l, p) => (p.checked > l ? p.checked : l), latest), '');
}

/** The built-in table's version. */
export const PRICE_TABLE_VERSION: string = latestCheck(MODELS);
