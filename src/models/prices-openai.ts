import { GPT_6, GPT_6_2 } from './model-rule-sets.ts';
import type { ModelEntryInput } from './price-schema.ts';
import { OPENAI_LEGACY_MODELS } from './prices-openai-legacy.ts';

/** The day every row below was last compared with its source. */
const NOW = '2026-12-07';
const page = (m: string) => `https://developers.openai.com/api/docs/models/${m}`;
/** Priority processing, renamed Fast mode on 2026-07-30: either name may come back in `service_tier`. */
const FAST_2X = { fast: 2, priority: 2 };
/**
 * Regional processing: requests to a data-residency endpoint (`eu.api.openai.com`, …) cost 10%
 * more on models released on or after 2026-03-05 (developers.openai.com/api/docs/guides/data-residency).
 * The provider reports the endpoint's region as the call's `inferenceGeo`.
 */
const REGIONAL = { us: 1.1, eu: 1.1, au: 1.1, in: 1.1, jp: 1.1, ae: 1.1 };
/** What every current model (GPT-6.x, GPT-5.6) shares: flex at batch rates, Fast at 2×, regional processing at 1.1×. */
const CURRENT = { serviceTiers: { flex: 'batch' as const, ...FAST_2X }, inferenceGeo: REGIONAL };

// GPT-6 and GPT-5.6 families: above 272k input tokens the whole request bills input and cache at 2×
// and output at 1.5×; batch 50%; cache writes (30-minute retention, 1.25× input) are the
// `cacheWrite5m` rate. A tier a row does not list (Ultrafast where no price is published) is
// "cost unknown". `chatgpt-4o-latest` is a different model and is deliberately not an alias of gpt-4o.
// prettier-ignore
const ROWS: readonly ModelEntryInput[] = [
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6-luna', label: 'GPT-6 Luna', lane: 'cheap', rules: GPT_6,
    prices: [{
      input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite5m: 0.125, batch: { input: 0.05, output: 0.25 },
      longContext: { aboveInputTokens: 272_000, input: 0.2, output: 0.75, cacheRead: 0.02, cacheWrite5m: 0.25 },
      checked: NOW, source: page('gpt-6-luna'),
    }],
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6.2-sol', label: 'GPT-6.2 Sol', lane: 'balanced', rules: GPT_6_2,
    // The page: "Ultrafast costs 3 times the Standard rate through February 28, 2027, and 6 times … starting March 1, 2027".
    prices: [
      {
        until: '2027-03-01', input: 2, output: 10, cacheRead: 0.1, cacheWrite5m: 2.5, batch: { input: 1, output: 5 },
        longContext: { aboveInputTokens: 272_000, input: 4, output: 15, cacheRead: 0.2, cacheWrite5m: 5 },
        serviceTiers: { ultrafast: 3 }, checked: NOW, source: page('gpt-6.2-sol'),
      },
      {
        from: '2027-03-01', input: 2, output: 10, cacheRead: 0.1, cacheWrite5m: 2.5, batch: { input: 1, output: 5 },
        longContext: { aboveInputTokens: 272_000, input: 4, output: 15, cacheRead: 0.2, cacheWrite5m: 5 },
        serviceTiers: { ultrafast: 6 }, checked: NOW, source: page('gpt-6.2-sol'),
      },
    ],
    note: 'Ultrafast 3×, 6× from 2027-03-01',
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6.1-sol', label: 'GPT-6.1 Sol', lane: 'balanced', rules: GPT_6_2,
    serviceTiers: { ...CURRENT.serviceTiers, ultrafast: 6 },
    prices: [{
      input: 2, output: 10, cacheRead: 0.1, cacheWrite5m: 2.5, batch: { input: 1, output: 5 },
      longContext: { aboveInputTokens: 272_000, input: 4, output: 15, cacheRead: 0.2, cacheWrite5m: 5 },
      checked: NOW, source: `${page('gpt-6.1-sol')}; Ultrafast 6×: secondary`,
    }],
    // Ultrafast 6× from the page as mirrored by w3cschool.cn and quoted by qiita.com/FlatkeyAI (2026-11-18).
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6-sol', label: 'GPT-6 Sol', lane: 'balanced', rules: GPT_6,
    prices: [{
      input: 2, output: 10, cacheRead: 0.2, cacheWrite5m: 2.5, batch: { input: 1, output: 5 },
      longContext: { aboveInputTokens: 272_000, input: 4, output: 15, cacheRead: 0.4, cacheWrite5m: 5 },
      checked: NOW, source: page('gpt-6-sol'),
    }],
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6.1-terra', label: 'GPT-6.1 Terra', lane: 'balanced', rules: GPT_6,
    prices: [{
      input: 1, output: 5, cacheRead: 0.05, cacheWrite5m: 1.25, batch: { input: 0.5, output: 2.5 },
      longContext: { aboveInputTokens: 272_000, input: 2, output: 7.5, cacheRead: 0.1, cacheWrite5m: 2.5 },
      checked: NOW, source: 'secondary: docs.litellm.ai/blog/gpt-6-1-terra',
    }],
    // Also apidog.com/blog/gpt-6-1-terra-pricing (Fast 2×, regional +10%). 12-hour cache writes
    // ($2.50/M, Responses API only) are not modelled: Hive uses Chat Completions.
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6.2-astra', label: 'GPT-6.2 Astra', lane: 'deep', rules: GPT_6_2,
    // Neither its Fast nor its Ultrafast rate is published where it could be checked: both "cost unknown".
    serviceTiers: { flex: 'batch' },
    prices: [{
      input: 8, output: 40, cacheRead: 0.4, cacheWrite5m: 10, batch: { input: 4, output: 20 },
      longContext: { aboveInputTokens: 272_000, input: 16, output: 60, cacheRead: 0.8, cacheWrite5m: 20 },
      checked: NOW, source: 'secondary: BerriAI/litellm discussion #52347',
    }],
    // Also docs.laozhang.ai/en/announcements/gpt-6-2-2026-11 (released 2026-11-17).
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-6-astra', label: 'GPT-6 Astra', lane: 'deep', rules: GPT_6_2,
    serviceTiers: { ...CURRENT.serviceTiers, ultrafast: 6 },
    prices: [{
      input: 10, output: 50, cacheRead: 1, cacheWrite5m: 12.5, batch: { input: 5, output: 25 },
      longContext: { aboveInputTokens: 272_000, input: 20, output: 75, cacheRead: 2, cacheWrite5m: 25 },
      checked: NOW, source: 'secondary: BerriAI/litellm discussion #39633',
    }],
    // Also prefect12/codex-token-meter v0.2.22, both citing developers.openai.com/api/docs/models/gpt-6-astra
    // (released 2026-09-03); Ultrafast 6× from vercel.com/changelog/openai-ultrafast-mode-now-available-on-ai-gateway.
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-5.6-sol', label: 'GPT-5.6 Sol', lane: 'balanced', rules: GPT_6,
    prices: [
      {
        from: '2026-07-09', until: '2026-08-21', input: 5, output: 30, cacheRead: 0.5, cacheWrite5m: 6.25, batch: { input: 2.5, output: 15 },
        longContext: { aboveInputTokens: 272_000, input: 10, output: 45, cacheRead: 1, cacheWrite5m: 12.5 },
        checked: NOW, source: page('gpt-5.6-sol'),
      },
      {
        from: '2026-08-21', until: '2026-12-01', input: 4, output: 20, cacheRead: 0.4, cacheWrite5m: 5, batch: { input: 2, output: 10 },
        longContext: { aboveInputTokens: 272_000, input: 8, output: 30, cacheRead: 0.8, cacheWrite5m: 10 },
        checked: NOW, source: page('gpt-5.6-sol'),
      },
      {
        from: '2026-12-01', input: 5, output: 30, cacheRead: 0.5, cacheWrite5m: 6.25, batch: { input: 2.5, output: 15 },
        longContext: { aboveInputTokens: 272_000, input: 10, output: 45, cacheRead: 1, cacheWrite5m: 12.5 },
        checked: NOW, source: page('gpt-5.6-sol'),
      },
    ],
    // The page states the $4/$20 promotion (a 20%/33% cut of the $5/$30 list price) "at least until
    // November 21, 2026"; its end on 2026-11-30 comes only from a secondary source,
    // docs.laozhang.ai/announcements/price-restore-2026-12.
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-5.6-terra', label: 'GPT-5.6 Terra', lane: 'balanced', rules: GPT_6,
    prices: [{
      from: '2026-07-30', input: 2, output: 12, cacheRead: 0.2, cacheWrite5m: 2.5, batch: { input: 1, output: 6 },
      longContext: { aboveInputTokens: 272_000, input: 4, output: 18, cacheRead: 0.4, cacheWrite5m: 5 },
      checked: NOW, source: page('gpt-5.6-terra'),
    }],
    // Launched 2026-07-09 at $2.50/$15 (not priced here); the cut's date (`from`) only from a secondary
    // source, TheKrush/PromptFuel v1.0.19 release notes.
  },
  {
    ...CURRENT, vendor: 'openai', id: 'gpt-5.6-luna', label: 'GPT-5.6 Luna', lane: 'cheap', rules: GPT_6,
    prices: [{
      from: '2026-07-30', input: 0.2, output: 1.2, cacheRead: 0.02, cacheWrite5m: 0.25, batch: { input: 0.1, output: 0.6 },
      longContext: { aboveInputTokens: 272_000, input: 0.4, output: 1.8, cacheRead: 0.04, cacheWrite5m: 0.5 },
      checked: NOW, source: page('gpt-5.6-luna'),
    }],
    // Launched 2026-07-09 at $1/$6 (not priced here); the cut's date (`from`) only from a secondary
    // source, TheKrush/PromptFuel v1.0.19 release notes.
  },
];

/** Every OpenAI model Hive prices: the current families, then the older ones (retired or retiring). */
export const OPENAI_MODELS: readonly ModelEntryInput[] = [...ROWS, ...OPENAI_LEGACY_MODELS];
