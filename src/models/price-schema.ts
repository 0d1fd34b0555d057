import { z } from 'zod';
import type { LaneName } from '../shared/types.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { modelRulesSchema } from './model-rules-schema.ts';

/**
 * A rate is USD per 1M tokens and must be a whole number of nano-dollars per token (a multiple of
 * $0.001 per 1M), so every cost is an exact integer of nano-dollars before it becomes dollars.
 */
const rate = z
  .number({ error: 'must be a number (USD per 1M tokens)' })
  .nonnegative('must not be negative')
  .refine((r) => Math.abs(r * 1000 - Math.round(r * 1000)) < 1e-6, 'must be a multiple of $0.001 per 1M tokens (whole nano-dollars per token)');

const VENDOR_NAMES = ['anthropic', 'openai', 'google'] as const satisfies readonly Vendor[];
const LANE_NAMES = ['cheap', 'balanced', 'deep'] as const satisfies readonly LaneName[];

const DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/;

/** A UTC date (`2027-01-01`, midnight) or time (`2027-01-01T00:00:00Z`). */
const instant = z
  .string()
  .regex(DAY_OR_TIME, 'must be a UTC date like 2027-01-01 or a time like 2027-01-01T00:00:00Z')
  .refine((s) => Number.isFinite(Date.parse(s)), 'is not a real date');

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01')
  .refine((s) => Number.isFinite(Date.parse(s)), 'is not a real date');

const modelId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'must be a model id as the vendor spells it (letters, digits, . _ : / -)');

/**
 * How a processing tier the vendor reports serving (`usage.serviceTier`) is billed: the Batch API's
 * rates (`batch`, OpenAI flex) or a multiplier of the rates that would otherwise apply.
 */
const tierRules = z.record(z.string().min(1), z.union([z.literal('batch'), z.number().positive().max(10)]));

const tokenRates = z.object({
  input: rate,
  output: rate,
  cacheRead: rate.optional(),
  cacheWrite5m: rate.optional(),
  cacheWrite1h: rate.optional(),
});

/** The rates of one validity period, with where and when they were checked. */
export const priceSchema = tokenRates
  .extend({
    /** First instant the rates apply (inclusive); absent: since the model's release. */
    from: instant.optional(),
    /** First instant they no longer apply (exclusive); absent: until further notice. */
    until: instant.optional(),
    batch: z.object({ input: rate, output: rate }).strict().optional(),
    longContext: tokenRates.extend({ aboveInputTokens: z.number().int().positive() }).strict().optional(),
    /** Tier rules of this period only (a promotional Ultrafast rate), over the model's own `serviceTiers`. */
    serviceTiers: tierRules.optional(),
    checked: isoDay,
    source: z.string().trim().min(1, 'must name where the price was checked'),
  })
  .strict()
  .refine((p) => p.from === undefined || p.until === undefined || Date.parse(p.from) < Date.parse(p.until), {
    message: 'must be later than from',
    path: ['until'],
  });

/** Periods sorted by start; each must end before the next begins, so one rate applies at any instant. */
const periods = z.array(priceSchema).superRefine((list, ctx) => {
  const start = (p: { from?: string | undefined }) => (p.from === undefined ? -Infinity : Date.parse(p.from));
  const end = (p: { until?: string | undefined }) => (p.until === undefined ? Infinity : Date.parse(p.until));
  const order = list.map((p, i) => ({ p, i })).sort((a, b) => start(a.p) - start(b.p));
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const next = order[k]!;
    if (start(next.p) < end(prev.p))
      ctx.addIssue({ code: 'custom', message: `overlaps prices[${prev.i}]: set until/from so one rate applies at a time`, path: [next.i, 'from'] });
  }
});

/** A model Hive can address by name: its cost lane, prices over time, request rules and retirement. */
export const modelEntrySchema = z
  .object({
    vendor: z.enum(VENDOR_NAMES),
    /** Canonical id: the vendor's API id without a date. */
    id: modelId,
    label: z.string().trim().min(1),
    lane: z.enum(LANE_NAMES),
    /** Other ids the vendor accepts or reports for the same model and price (dated snapshots, aliases). */
    aliases: z.array(modelId).default([]),
    /** Empty: "cost unknown", never a guess. */
    prices: periods.default([]),
    /** Retired by the vendor: refused before any call, naming the successor. Without `on`, already retired. */
    retired: z.object({ on: isoDay.optional(), successor: modelId }).strict().optional(),
    rules: modelRulesSchema.optional(),
    /**
     * Price multipliers by where inference ran, as the vendor reports it in its usage (Anthropic's
     * `usage.inference_geo`: `us` costs 1.1× on Opus/Sonnet 4.6 and later); a geo not listed costs 1×.
     */
    inferenceGeo: z.record(z.string().min(1), z.number().positive().max(10)).optional(),
    /**
     * How a processing tier the vendor reports serving (`usage.serviceTier`) is billed: `batch` rates
     * (OpenAI `flex`) or a multiplier. The standard tiers need no entry; any other tier the model
     * does not list is "cost unknown", never a guess.
     */
    serviceTiers: tierRules.optional(),
    note: z.string().optional(),
  })
  .strict();

/** One model's entry after validation. */
export type ModelInfo = z.infer<typeof modelEntrySchema>;
/** One validity period's rates. */
export type Price = z.infer<typeof priceSchema>;
/** USD per 1M tokens for one tier; absent cache rates bill at `input`. */
export type TokenRates = z.infer<typeof tokenRates>;
/** What a model entry looks like before validation (the built-in table is written this way). */
export type ModelEntryInput = z.input<typeof modelEntrySchema>;
