import { GEMINI_3_FLASH, GEMINI_3_PRO } from './model-rule-sets.ts';
import type { ModelEntryInput } from './price-schema.ts';

const OLD = '2026-11-24';
/** The day every served row below was last compared with its source. */
const NOW = '2026-12-07';
const PRICING = 'https://ai.google.dev/gemini-api/docs/pricing';
/**
 * The pricing page as transcribed word for word on 2026-10-07 (api-evangelist/deepmind,
 * plans/deepmind-plans-pricing.yml): the rates below quote it unless a row says otherwise.
 */
const TRANSCRIBED = PRICING;
/**
 * Google shut gemini-2.5-pro and gemini-2.5-flash down on 2026-12-01 and routes their calls to the
 * successors, billed at the successors' rates: dev.to/aideprecations, citing
 * ai.google.dev/gemini-api/docs/deprecations as read on 2026-11-10 (a secondary copy).
 */
const GEMINI_2_5_SHUTDOWN = '2026-12-01';

// Google: thinking tokens bill as output; cache storage (per hour) and audio input rates are not
// modelled; the Batch API bills 50% of the standard rates. The moving aliases
// (`gemini-flash-latest`, `gemini-pro-latest`) move between models and are deliberately absent.
// prettier-ignore
export const GOOGLE_MODELS: readonly ModelEntryInput[] = [
  {
    vendor: 'google', id: 'gemini-3.8-flash', label: 'Gemini 3.8 Flash', lane: 'cheap', rules: GEMINI_3_FLASH,
    prices: [
      { until: '2027-01-01', input: 0.75, output: 3.75, cacheRead: 0.075, batch: { input: 0.375, output: 1.875 }, checked: NOW, source: TRANSCRIBED },
      { from: '2027-01-01', input: 1.5, output: 7.5, cacheRead: 0.15, batch: { input: 0.75, output: 3.75 }, checked: NOW, source: TRANSCRIBED },
    ],
    // "$0.75 through December 31, 2026" / "$1.50 starting January 1, 2027"; cache reads from BerriAI/litellm discussion #39357.
    note: 'cache reads: secondary',
  },
  {
    vendor: 'google', id: 'gemini-3.5-flash', label: 'Gemini 3.5 Flash', lane: 'cheap', rules: GEMINI_3_FLASH,
    prices: [{ input: 1.5, output: 9, cacheRead: 0.15, batch: { input: 0.75, output: 4.5 }, checked: NOW, source: TRANSCRIBED }],
    // Cache reads from docs.apiyi.com/en/models/gemini-3-5-flash. Released 2026-05-19.
    note: 'cache reads: secondary',
  },
  {
    vendor: 'google', id: 'gemini-3.5-flash-lite', label: 'Gemini 3.5 Flash-Lite', lane: 'cheap', rules: GEMINI_3_FLASH,
    prices: [{ input: 0.3, output: 2.5, cacheRead: 0.03, batch: { input: 0.15, output: 1.25 }, checked: NOW, source: TRANSCRIBED }],
    // Cache reads from docs.apiyi.com/en/models/gemini-3-5-flash-lite. Released 2026-07-21.
    note: 'cache reads: secondary',
  },
  {
    vendor: 'google', id: 'gemini-3.1-flash-lite', label: 'Gemini 3.1 Flash-Lite', lane: 'cheap', rules: GEMINI_3_FLASH,
    prices: [{ input: 0.25, output: 1.5, cacheRead: 0.025, batch: { input: 0.125, output: 0.75 }, checked: NOW, source: 'secondary: vercel.com/ai-gateway/models/gemini-3.1-flash-lite' }],
    // Cache reads from docs.apiyi.com/models/gemini-3-1-flash-lite. Released 2026-05-07;
    // ai.google.dev/gemini-api/docs/deprecations lists its shutdown for 2027-05-07 without naming a successor yet.
    note: 'shuts down 2027-05-07',
  },
  {
    vendor: 'google', id: 'gemini-3.1-pro-preview', label: 'Gemini 3.1 Pro Preview', lane: 'balanced', rules: GEMINI_3_PRO,
    prices: [{
      input: 2, output: 12, cacheRead: 0.2, batch: { input: 1, output: 6 },
      longContext: { aboveInputTokens: 200_000, input: 4, output: 18, cacheRead: 0.4 },
      checked: NOW, source: TRANSCRIBED,
    }],
    // Cache reads from cloudprice.net.
    note: 'preview; cache reads: secondary',
  },
  {
    vendor: 'google', id: 'gemini-2.0-flash', label: 'Gemini 2.0 Flash', lane: 'cheap', aliases: ['gemini-2.0-flash-001'],
    retired: { on: '2026-06-01', successor: 'gemini-2.5-flash' },
    note: 'shut down 2026-06-01; no price kept',
  },
  {
    vendor: 'google', id: 'gemini-2.0-flash-lite', label: 'Gemini 2.0 Flash-Lite', lane: 'cheap', aliases: ['gemini-2.0-flash-lite-001'],
    retired: { on: '2026-06-01', successor: 'gemini-2.5-flash-lite' },
    note: 'shut down 2026-06-01 (hivebook.wiki google-gemini-api-current; secondary); no price kept',
  },
  {
    vendor: 'google', id: 'gemini-2.5-flash-lite', label: 'Gemini 2.5 Flash-Lite', lane: 'cheap',
    prices: [{ input: 0.1, output: 0.4, cacheRead: 0.01, batch: { input: 0.05, output: 0.2 }, checked: NOW, source: `${TRANSCRIBED}; partly secondary` }],
    // Input and cache reads from yologdev/yoagent v0.27.7 release notes, which also quote Google: it
    // "remains available through the API until further notice" while 2.5 Flash and Pro shut down.
  },
  {
    vendor: 'google', id: 'gemini-2.5-flash', label: 'Gemini 2.5 Flash', lane: 'cheap',
    prices: [{ input: 0.3, output: 2.5, cacheRead: 0.03, batch: { input: 0.15, output: 1.25 }, checked: OLD, source: PRICING }],
    retired: { on: GEMINI_2_5_SHUTDOWN, successor: 'gemini-3.5-flash-lite' },
    note: 'shut down 2026-12-01',
  },
  {
    vendor: 'google', id: 'gemini-2.5-pro', label: 'Gemini 2.5 Pro', lane: 'balanced',
    prices: [{
      input: 1.25, output: 10, cacheRead: 0.125, batch: { input: 0.625, output: 5 },
      longContext: { aboveInputTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25 },
      checked: OLD, source: PRICING,
    }],
    retired: { on: GEMINI_2_5_SHUTDOWN, successor: 'gemini-3.8-flash' },
    note: 'shut down 2026-12-01',
  },
];
