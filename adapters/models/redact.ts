import { scrubSecret } from '../../src/shared/secrets.ts';

const REDACTED = '[redacted]';

/** Key-shaped tokens, including the half-masked ones vendors echo back ("sk-abc***wxyz"). */
const KEY_SHAPES = [/\bsk-[A-Za-z0-9_*-]{6,}/g, /\bAIza[A-Za-z0-9_*-]{10,}/g, /(Incorrect API key provided: )\S+?(?=\.?(\s|$))/g];

/**
 * Removes the caller's key (whole, any run of 8+ of its characters, and its base64 or hex forms, as
 * the core's secret registry finds them) and anything key-shaped a vendor echoed back, from text
 * that may end up in a log line or chat message.
 */
export function redactSecrets(text: string, apiKey: string): string {
  let out = apiKey.length >= 4 ? scrubSecret(text, apiKey) : text;
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (match: string, prefix?: unknown) => (typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED));
  }
  return out;
}

/** True when the key, or a piece or an encoding of it, appears anywhere in the error's message, stack or cause chain. */
export function leaksSecret(err: unknown, apiKey: string, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 4 || apiKey.length < 4) return false;
  const own = `${err.message}\n${err.stack ?? ''}`;
  return scrubSecret(own, apiKey) !== own || leaksSecret(err.cause, apiKey, depth + 1);
}
