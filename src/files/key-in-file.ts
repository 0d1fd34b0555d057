import { VENDOR_INFO } from '../models/vendor-info.ts';
import { term } from '../shared/platform-terms.ts';
import { VENDORS } from '../shared/provider-spec.ts';
import { createSecretRegistry, type SecretScrubber } from '../shared/secrets.ts';

/**
 * Why a file's text may not go to a model, or undefined when it carries no key. The check is the
 * one a question's text passes (`SecretScrubber.find`: registered keys whole, in pieces or encoded,
 * and every vendor's key shape), so a key pasted into a log is refused exactly as one pasted in a
 * message: before any model, log or evidence record sees it.
 */
export function keyInText(text: string, secrets: SecretScrubber | undefined): string | undefined {
  const found = (secrets ?? createSecretRegistry()).find(text)[0];
  if (!found) return undefined;
  const pasted = text.slice(found.start, found.end);
  const vendor = VENDORS.find((v) => VENDOR_INFO[v].keyPattern.test(pasted));
  return (
    'it contains what looks like an API key or token, so it was not sent to any model or stored. ' +
    `Remove the key from the file and share it again; to register a key, use ${term.addKey(vendor)}.`
  );
}
