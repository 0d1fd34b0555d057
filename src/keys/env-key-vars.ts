import type { Vendor } from '../shared/provider-spec.ts';

/** The environment variable that gives the `local` workspace each vendor's key; named where a stored key is shadowed by it. */
export const ENV_KEY_VARS: Record<Vendor, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  google: 'GEMINI_API_KEY',
};
