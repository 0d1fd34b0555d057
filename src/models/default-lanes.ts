import type { LaneName, ModelRef } from '../shared/types.ts';

/**
 * Default lane lists: one current model per vendor where the vendor has one (late 2026), so a lane
 * can spread work over every registered key and fail over between vendors. The deep lane asks for
 * high effort (Gemini's deepest model is its Pro, at its highest thinking level). Admins override
 * them per workspace with `/hive lanes set`.
 */
export const DEFAULT_LANES: Readonly<Record<LaneName, readonly ModelRef[]>> = {
  cheap: [
    { vendor: 'anthropic', model: 'claude-haiku-5-5' },
    { vendor: 'google', model: 'gemini-3.8-flash' },
    { vendor: 'openai', model: 'gpt-6-luna' },
  ],
  balanced: [
    { vendor: 'anthropic', model: 'claude-sonnet-5-5' },
    { vendor: 'openai', model: 'gpt-6.2-sol' },
    { vendor: 'google', model: 'gemini-3.1-pro-preview' },
  ],
  deep: [
    { vendor: 'anthropic', model: 'claude-opus-5-5@high' },
    { vendor: 'openai', model: 'gpt-6.2-astra@high' },
    { vendor: 'google', model: 'gemini-3.1-pro-preview@high' },
  ],
};
