import type { Usage, Vendor } from '../shared/provider-spec.ts';
import type { ModelInfo, Price, TokenRates } from '../models/prices.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { priceAt, tierRates } from '../models/price-catalogue.ts';

/** USD split by what was billed, so a footer can show where the money went. */
export interface CostBreakdown {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

/** The exact cost of one call, with the price facts needed to audit it later. */
export interface Cost {
  usd: number;
  breakdown: CostBreakdown;
  tier: 'standard' | 'long_context';
  batch: boolean;
  priceChecked: string;
  /** The canonical id of the entry whose price was used. */
  modelId: string;
  /** The multiplier applied for where inference ran (`usage.inferenceGeo`), when not 1. */
  geoMultiplier?: number;
}

/** A cost before it is tied to a table entry; what `priceUsage` returns for any price. */
export type PricedUsage = Pick<Cost, 'usd' | 'breakdown' | 'tier' | 'batch'>;

/** Options that change which rates apply. */
export interface CostOptions {
  /** The call went through the vendor's batch API. */
  batch?: boolean;
}

/** Which rates apply to a call of a model in the table, and when it started: it is billed at the rate in force then. */
export interface CallPricing extends CostOptions {
  at: Date;
}

const PER_MILLION = 1_000_000;
/** Costs are rounded to 1e-10 USD: far below a cent, far above float noise (0.1 + 0.2). */
const ROUNDING = 1e10;

/**
 * Prices a call from vendor-reported usage. `modelIds` may list the requested id and the id the
 * vendor reports serving; the first that resolves to a priced entry is used. Returns undefined
 * ("cost unknown") when none does, or when batch rates are asked for and not known — never a guess.
 */
export function computeCost(
  catalogue: PriceCatalogue,
  vendor: Vendor,
  modelIds: string | readonly string[],
  usage: Usage,
  opts: CallPricing,
): Cost | undefined {
  const ids: readonly string[] = typeof modelIds === 'string' ? [modelIds] : modelIds;
  for (const id of ids) {
    const model = catalogue.find(vendor, id);
    const price = model ? priceAt(model, opts.at) : undefined;
    if (!model || !price) continue;
    const tier = tierRule(model, price, usage.serviceTier);
    if (tier === undefined) continue;
    const priced = priceUsage(price, usage, { batch: tier === 'batch' || opts.batch === true });
    if (!priced) continue;
    const geo = usage.inferenceGeo === undefined ? 1 : (model.inferenceGeo?.[usage.inferenceGeo] ?? 1);
    const factor = geo * (typeof tier === 'number' ? tier : 1);
    const cost: Cost = { ...(factor === 1 ? priced : scaled(priced, factor)), priceChecked: price.checked, modelId: model.id };
    return geo === 1 ? cost : { ...cost, geoMultiplier: geo };
  }
  return undefined;
}

/**
 * Applies one price to normalised usage (inputs include cache reads and writes; output includes
 * reasoning, which is therefore never billed twice):
 * - uncached input = input − cache reads − cache writes, clamped at 0, at the input rate;
 * - cache reads at `cacheRead`, or at the input rate when the model has no read discount;
 * - cache writes: the 1-hour part at `cacheWrite1h`, the rest at `cacheWrite5m`, each at the input
 *   rate when absent (OpenAI and Gemini charge no write fee);
 * - a prompt above `longContext.aboveInputTokens` bills every token at the long-context rates;
 * - batch uses the batch input/output rates and scales cache rates (and long-context rates) by
 *   the batch/standard ratio of input (output rates by the output ratio).
 */
export function priceUsage(price: Price, usage: Usage, opts: CostOptions = {}): PricedUsage | undefined {
  const tokens = splitUsage(usage);
  const { rates: tier, long } = tierRates(price, tokens.prompt);
  const rates = opts.batch ? batchRates(price, tier) : tier;
  if (!rates) return undefined;
  const breakdown: CostBreakdown = {
    input: dollars(tokens.uncached, rates.input),
    cacheRead: dollars(tokens.cacheRead, rates.cacheRead ?? rates.input),
    cacheWrite: round(dollars(tokens.write5m, rates.cacheWrite5m ?? rates.input) + dollars(tokens.write1h, rates.cacheWrite1h ?? rates.input)),
    output: dollars(tokens.output, rates.output),
  };
  const usd = round(breakdown.input + breakdown.cacheRead + breakdown.cacheWrite + breakdown.output);
  return { usd, breakdown, tier: long ? 'long_context' : 'standard', batch: opts.batch === true };
}

/** Tiers every vendor bills at the model's standard rates (Scale Tier's prepaid units included). */
const STANDARD_TIERS = new Set(['default', 'standard', 'auto', 'scale', 'on_demand']);

/** How a served tier is billed for this model at this price: standard (1), `batch` rates, a multiplier, or unknown. */
function tierRule(model: ModelInfo, price: Price, tier: string | undefined): 'batch' | number | undefined {
  if (tier === undefined || STANDARD_TIERS.has(tier)) return 1;
  return price.serviceTiers?.[tier] ?? model.serviceTiers?.[tier];
}

/** A priced call times a multiplier (US-only inference), each part rounded as the parts always are. */
function scaled(p: PricedUsage, by: number): PricedUsage {
  const b = p.breakdown;
  const breakdown: CostBreakdown = {
    input: round(b.input * by),
    cacheRead: round(b.cacheRead * by),
    cacheWrite: round(b.cacheWrite * by),
    output: round(b.output * by),
  };
  return { ...p, breakdown, usd: round(breakdown.input + breakdown.cacheRead + breakdown.cacheWrite + breakdown.output) };
}

interface TokenSplit {
  uncached: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
  output: number;
  /** The whole prompt (uncached + cached + written), which decides the long-context tier. */
  prompt: number;
}

/** Splits inclusive totals into disjoint billable parts; negative or non-finite counts count as 0. */
function splitUsage(usage: Usage): TokenSplit {
  const cacheRead = count(usage.cacheReadTokens);
  const cacheWrite = count(usage.cacheWriteTokens);
  const write1h = Math.min(count(usage.cacheWrite1hTokens), cacheWrite);
  const uncached = Math.max(0, count(usage.inputTokens) - cacheRead - cacheWrite);
  return {
    uncached,
    cacheRead,
    write5m: cacheWrite - write1h,
    write1h,
    output: count(usage.outputTokens),
    prompt: uncached + cacheRead + cacheWrite,
  };
}

/** Batch rates for a tier; undefined when the model has no known batch price. */
function batchRates(price: Price, tier: TokenRates): TokenRates | undefined {
  const batch = price.batch;
  if (!batch) return undefined;
  const inFactor = ratio(batch.input, price.input);
  const standard = tier === price;
  const input = standard ? batch.input : tier.input * inFactor;
  const output = standard ? batch.output : tier.output * ratio(batch.output, price.output);
  return { ...scaleCache(tier, inFactor), input, output };
}

function scaleCache(rates: TokenRates, factor: number): Pick<TokenRates, 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h'> {
  const scale = (rate: number | undefined): number | undefined => (rate === undefined ? undefined : rate * factor);
  return { cacheRead: scale(rates.cacheRead), cacheWrite5m: scale(rates.cacheWrite5m), cacheWrite1h: scale(rates.cacheWrite1h) };
}

function ratio(discounted: number, standard: number): number {
  return standard > 0 ? discounted / standard : 1;
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function dollars(tokens: number, ratePerMillion: number): number {
  return round((tokens * ratePerMillion) / PER_MILLION);
}

function round(usd: number): number {
  return Math.round(usd * ROUNDING) / ROUNDING;
}

/** A call's cost, and the table entry it was priced as when that is not the model asked for. */
export interface ServedCost {
  cost: Cost | undefined;
  /** The canonical id priced, set only when the vendor served (and bills) another model than the one asked. */
  pricedAs?: string;
}

/**
 * Vendors bill the model that served a call, which is not always the one asked for (Google serves
 * a retired model's calls with its successor): the served model's price is used when the vendor
 * names a priced model, else the asked model's. A dated snapshot of the asked model is the same entry.
 */
export function costAsServed(catalogue: PriceCatalogue, vendor: Vendor, asked: string, served: string | undefined, usage: Usage, at: Date): ServedCost {
  const cost = computeCost(catalogue, vendor, served ? [served, asked] : [asked], usage, { at });
  if (!cost || cost.modelId === catalogue.find(vendor, asked)?.id) return { cost };
  return { cost, pricedAs: cost.modelId };
}
