import { PASTED_KEY_WORDS, pastedKey } from '../models/pasted-key.ts';
import { term } from '../shared/platform-terms.ts';
import { createSecretRegistry, type SecretScrubber } from '../shared/secrets.ts';

/**
 * Why a file's text may not go to a model, or undefined when it carries no key. The check is the
 * one a question's text passes (`pastedKey`), so a key pasted into a log is refused exactly as one
 * pasted in a message: before any model, log or evidence record sees it.
 */
export function keyInText(text: string, secrets: SecretScrubber | undefined): string | undefined {
  const found = pastedKey(text, secrets ?? createSecretRegistry());
  if (!found) return undefined;
  return `it contains ${PASTED_KEY_WORDS} Remove the key from the file and share it again; to register a key, use ${term.addKey(found.vendor)}.`;
}
