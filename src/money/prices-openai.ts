import { GPT_6, GPT_6_2 } from '../vendors/model-rule-sets.ts';
import type { ModelEntryInput } from './price-schema.ts';

const OLD = '2026-11-24';
const NOW = '2026-12-01';
const PRICING = 'https://developers.openai.com/api/docs/pricing';
const page = (m: string) => `https://developers.openai.com/api/docs/models/${m}`;
/** OpenAI's deprecations page: the GPT-4o and GPT-4.1 families leave the API on 2027-01-14, GPT-6 Luna named as the replacement. */
const SHUTDOWN = { on: '2027-01-14', successor: 'gpt-6-luna' };
// Cited from the deprecations page by netbirdio/netbird discussion #8664 (a secondary source).
const SHUTDOWN_NOTE = 'shuts down 2027-01-14 (secondary source)';

// GPT-6 family: above 272k input tokens the whole request bills input and cache at 2× and output at
// 1.5×; batch 50%. Cache writes (30-minute retention) are the `cacheWrite5m` rate: OpenAI has one.
// `chatgpt-4o-latest` is a different, pricier model and is deliberately not an alias of gpt-4o.
// prettier-ignore
const ROWS: readonly ModelEntryInput[] = [
  {
    vendor: 'openai', id: 'gpt-6-luna', label: 'GPT-6 Luna', lane: 'cheap', rules: GPT_6,
    prices: [{
      input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite5m: 0.125, batch: { input: 0.05, output: 0.25 },
      longContext: { aboveInputTokens: 272_000, input: 0.2, output: 0.75, cacheRead: 0.02, cacheWrite5m: 0.25 },
      checked: NOW, source: page('gpt-6-luna'),
    }],
  },
  {
    vendor: 'openai', id: 'gpt-6.2-sol', label: 'GPT-6.2 Sol', lane: 'balanced', rules: GPT_6_2,
    prices: [{
      input: 2, output: 10, cacheRead: 0.1, cacheWrite5m: 2.5, batch: { input: 1, output: 5 },
      longContext: { aboveInputTokens: 272_000, input: 4, output: 15, cacheRead: 0.2, cacheWrite5m: 5 },
      checked: NOW, source: page('gpt-6.2-sol'),
    }],
    // The page was read through the team's 2026-12-01 fact sheet; long-context rates also in iyulab/TokenMeter v0.17.0.
    note: 'released 2026-11-17, no dated snapshots',
  },
  {
    vendor: 'openai', id: 'gpt-6.1-terra', label: 'GPT-6.1 Terra', lane: 'balanced', rules: GPT_6,
    prices: [{
      input: 1, output: 5, cacheRead: 0.05, cacheWrite5m: 1.25, batch: { input: 0.5, output: 2.5 },
      longContext: { aboveInputTokens: 272_000, input: 2, output: 7.5, cacheRead: 0.1, cacheWrite5m: 2.5 },
      checked: NOW, source: 'docs.litellm.ai/blog/gpt-6-1-terra; apidog.com/blog/gpt-6-1-terra-pricing',
    }],
    // 12-hour cache writes ($2.50/M, Responses API only) are not modelled: Hive uses Chat Completions.
    note: 'released 2026-10-26; secondary sources only',
  },
  {
    vendor: 'openai', id: 'gpt-6.2-astra', label: 'GPT-6.2 Astra', lane: 'deep', rules: GPT_6_2,
    prices: [{
      input: 8, output: 40, cacheRead: 0.4, cacheWrite5m: 10, batch: { input: 4, output: 20 },
      longContext: { aboveInputTokens: 272_000, input: 16, output: 60, cacheRead: 0.8, cacheWrite5m: 20 },
      checked: NOW, source: 'github.com/BerriAI/litellm discussion #52347; iyulab/TokenMeter v0.17.0 release notes',
    }],
    note: 'released 2026-11-17; secondary sources only',
  },
  {
    vendor: 'openai', id: 'gpt-6-sol', label: 'GPT-6 Sol', lane: 'balanced', rules: GPT_6,
    prices: [{
      input: 2, output: 10, cacheRead: 0.2, cacheWrite5m: 2.5, batch: { input: 1, output: 5 },
      longContext: { aboveInputTokens: 272_000, input: 4, output: 15, cacheRead: 0.4, cacheWrite5m: 5 },
      checked: NOW, source: 'https://developers.openai.com/zh-Hans/api/docs/models/gpt-6-sol',
    }],
  },
  {
    vendor: 'openai', id: 'gpt-4o-mini', label: 'GPT-4o mini', lane: 'cheap', aliases: ['gpt-4o-mini-2024-07-18'],
    prices: [{ input: 0.15, output: 0.6, cacheRead: 0.075, batch: { input: 0.075, output: 0.3 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4o', label: 'GPT-4o', lane: 'balanced', aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'],
    prices: [{ input: 2.5, output: 10, cacheRead: 1.25, batch: { input: 1.25, output: 5 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4o-2024-05-13', label: 'GPT-4o (2024-05-13)', lane: 'balanced',
    prices: [{ input: 5, output: 15, batch: { input: 2.5, output: 7.5 }, checked: OLD, source: `${PRICING}; openrouter.ai/openai/gpt-4o-2024-05-13` }],
    retired: SHUTDOWN,
    note: 'first GPT-4o snapshot: pricier, no cached discount',
  },
  {
    vendor: 'openai', id: 'gpt-4.1', label: 'GPT-4.1', lane: 'balanced', aliases: ['gpt-4.1-2025-04-14'],
    prices: [{ input: 2, output: 8, cacheRead: 0.5, batch: { input: 1, output: 4 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4.1-mini', label: 'GPT-4.1 mini', lane: 'cheap', aliases: ['gpt-4.1-mini-2025-04-14'],
    prices: [{ input: 0.4, output: 1.6, cacheRead: 0.1, batch: { input: 0.2, output: 0.8 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4.1-nano', label: 'GPT-4.1 nano', lane: 'cheap', aliases: ['gpt-4.1-nano-2025-04-14'],
    prices: [{ input: 0.1, output: 0.4, cacheRead: 0.025, batch: { input: 0.05, output: 0.2 }, checked: OLD, source: PRICING }],
  },
  {
    vendor: 'openai', id: 'gpt-5', label: 'GPT-5', lane: 'deep', aliases: ['gpt-5-2025-08-07'],
    prices: [{ input: 1.25, output: 10, cacheRead: 0.125, batch: { input: 0.625, output: 5 }, checked: OLD, source: PRICING }],
  },
  {
    vendor: 'openai', id: 'gpt-5-mini', label: 'GPT-5 mini', lane: 'balanced', aliases: ['gpt-5-mini-2025-08-07'],
    prices: [{ input: 0.25, output: 2, cacheRead: 0.025, batch: { input: 0.125, output: 1 }, checked: OLD, source: PRICING }],
  },
  {
    vendor: 'openai', id: 'gpt-5-nano', label: 'GPT-5 nano', lane: 'cheap', aliases: ['gpt-5-nano-2025-08-07'],
    prices: [{ input: 0.05, output: 0.4, cacheRead: 0.005, batch: { input: 0.025, output: 0.2 }, checked: OLD, source: PRICING }],
    note: 'marked deprecated on developers.openai.com (2026)',
  },
];

/**
 * Flex processing (`service_tier: "flex"` in the response, which a project's default can select)
 * bills at the Batch API's rates. Priority processing has no rate here: such a call is "cost
 * unknown" until an operator adds it with HIVE_PRICES_FILE (`"serviceTiers": {"priority": 2}`).
 */
export const OPENAI_MODELS: readonly ModelEntryInput[] = ROWS.map((m) => ({ serviceTiers: { flex: 'batch' as const }, ...m }));
