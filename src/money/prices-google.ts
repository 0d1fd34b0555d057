import { GEMINI_3_FLASH, GEMINI_3_PRO } from '../vendors/model-rule-sets.ts';
import type { ModelEntryInput } from './price-schema.ts';

const OLD = '2026-11-24';
const NOW = '2026-12-01';
const PRICING = 'https://ai.google.dev/gemini-api/docs/pricing';
const LEGACY = PRICING;

// Google: thinking tokens bill as output; cache storage (per hour) and audio input rates are not modelled.
// The moving aliases (`gemini-flash-latest`, `gemini-pro-latest`) move between models and are deliberately absent.
// prettier-ignore
export const GOOGLE_MODELS: readonly ModelEntryInput[] = [
  {
    vendor: 'google', id: 'gemini-3.8-flash', label: 'Gemini 3.8 Flash', lane: 'cheap', rules: GEMINI_3_FLASH,
    prices: [
      { until: '2027-01-01', input: 0.75, output: 3.75, cacheRead: 0.075, batch: { input: 0.375, output: 1.875 }, checked: NOW, source: `${PRICING} ("$0.75 through December 31, 2026", transcribed 2026-10-07 by api-evangelist/deepmind)` },
      { from: '2027-01-01', input: 1.5, output: 7.5, cacheRead: 0.15, batch: { input: 0.75, output: 3.75 }, checked: NOW, source: 'github.com/BerriAI/litellm discussion #39357' },
    ],
    note: 'promotion through 2026-12-31; 2027 rate: secondary sources only',
  },
  {
    vendor: 'google', id: 'gemini-3.5-flash-lite', label: 'Gemini 3.5 Flash-Lite', lane: 'cheap', rules: GEMINI_3_FLASH,
    prices: [{ input: 0.3, output: 2.5, cacheRead: 0.03, batch: { input: 0.15, output: 1.25 }, checked: NOW, source: 'docs.apiyi.com/en/models/gemini-3-5-flash-lite' }],
    // apiyi lists $2.4999 output (a reseller's rounding of $2.50); batch at Google's usual 50%.
    note: 'secondary sources only',
  },
  {
    vendor: 'google', id: 'gemini-3.1-pro-preview', label: 'Gemini 3.1 Pro Preview', lane: 'balanced', rules: GEMINI_3_PRO,
    prices: [{
      input: 2, output: 12, cacheRead: 0.2, batch: { input: 1, output: 6 },
      longContext: { aboveInputTokens: 200_000, input: 4, output: 18, cacheRead: 0.4 },
      checked: NOW, source: 'blog.laozhang.ai/en/posts/gemini-3-1-pro-preview-free-api; cloudprice.net (cache read)',
    }],
    note: 'preview; secondary sources only',
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
    prices: [{ input: 0.1, output: 0.4, cacheRead: 0.01, batch: { input: 0.05, output: 0.2 }, checked: OLD, source: LEGACY }],
  },
  {
    vendor: 'google', id: 'gemini-2.5-flash', label: 'Gemini 2.5 Flash', lane: 'cheap',
    prices: [{ input: 0.3, output: 2.5, cacheRead: 0.03, batch: { input: 0.15, output: 1.25 }, checked: OLD, source: LEGACY }],
  },
  {
    vendor: 'google', id: 'gemini-2.5-pro', label: 'Gemini 2.5 Pro', lane: 'balanced',
    prices: [{
      input: 1.25, output: 10, cacheRead: 0.125, batch: { input: 0.625, output: 5 },
      longContext: { aboveInputTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25 },
      checked: OLD, source: LEGACY,
    }],
  },
];
