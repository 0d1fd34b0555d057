import type { LaneName, ModelRef } from '../types.ts';

/**
 * Default lane lists: one model per vendor where the vendor has one, so a lane can spread work
 * over every registered key and fail over between vendors. Admins override them per workspace.
 */
export const DEFAULT_LANES: Readonly<Record<LaneName, readonly ModelRef[]>> = {
  cheap: [
    { vendor: 'anthropic', model: 'claude-haiku-4-5' },
    { vendor: 'google', model: 'gemini-2.5-flash' },
    { vendor: 'openai', model: 'gpt-4o-mini' },
  ],
  balanced: [
    { vendor: 'anthropic', model: 'claude-sonnet-4-6' },
    { vendor: 'openai', model: 'gpt-4o' },
    { vendor: 'google', model: 'gemini-2.5-pro' },
  ],
  deep: [
    { vendor: 'anthropic', model: 'claude-opus-4-7' },
    { vendor: 'openai', model: 'gpt-5' },
  ],
};
