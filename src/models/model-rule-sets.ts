import type { ModelRules } from './model-rules-schema.ts';

// Sources: platform.claude.com model overviews and migration guides (Claude 5.x: sampling parameters,
// manual extended thinking and prefill return 400; effort low…max); developers.openai.com model pages
// (GPT-6: reasoning_effort none…max, temperature only at none; GPT-6.2 rejects none and minimal);
// ai.google.dev and Vertex AI model guides (Gemini 3.x thinking levels LOW, MEDIUM, HIGH). Checked 2026-12-01.

const CLAUDE_EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'];

/** Claude 5.x with adaptive thinking and a medium default effort (Haiku 5.5, Opus 5.5). */
export const CLAUDE_5_MEDIUM: ModelRules = {
  sampling: 'never',
  efforts: CLAUDE_EFFORTS,
  defaultEffort: 'medium',
  prefill: false,
  manualThinking: false,
  maxOutputTokens: 128_000,
  contextWindow: 1_000_000,
};

/** Claude 5.x with a high default effort (Sonnet 5 and 5.5, Opus 5, Fable). */
export const CLAUDE_5_HIGH: ModelRules = { ...CLAUDE_5_MEDIUM, defaultEffort: 'high' };

/** GPT-6 and 6.1: every effort from none; temperature only with effort none. */
export const GPT_6: ModelRules = {
  sampling: 'effort-none',
  efforts: ['none', 'low', 'medium', 'high', 'xhigh', 'max'],
  defaultEffort: 'medium',
  prefill: true,
  manualThinking: false,
  maxOutputTokens: 128_000,
  contextWindow: 1_050_000,
};

/** GPT-6.2 (and GPT-6.1 Sol) reject effort none (and minimal), so they never accept temperature either. */
export const GPT_6_2: ModelRules = { ...GPT_6, sampling: 'never', efforts: ['low', 'medium', 'high', 'xhigh', 'max'] };

/** Gemini 3.x Flash: thinking levels, medium by default. */
export const GEMINI_3_FLASH: ModelRules = {
  sampling: 'any',
  efforts: ['low', 'medium', 'high'],
  defaultEffort: 'medium',
  prefill: true,
  manualThinking: true,
  maxOutputTokens: 65_536,
  contextWindow: 1_048_576,
};

/** Gemini 3.x Pro: thinking levels, high by default. */
export const GEMINI_3_PRO: ModelRules = { ...GEMINI_3_FLASH, defaultEffort: 'high' };

/** Models without a row of their own (older generations, operator additions without rules): send what Hive always sent. */
export const LEGACY_RULES: ModelRules = { sampling: 'any', efforts: [], prefill: true, manualThinking: true };
