import type { SecretScrubber } from '../shared/secrets.ts';
import { VENDORS, type Vendor } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from './vendor-info.ts';

/** What a refusal of a pasted key says, wherever the key was pasted (a message, a file). */
export const PASTED_KEY_WORDS = 'what looks like an API key or token, so it was not sent to any model or stored.';

/**
 * The first key or token in `text` that `secrets` finds (registered keys whole, in pieces or encoded,
 * and every vendor's key shape), with the vendor whose shape it has, so a refusal can say how to
 * register it instead; undefined when there is none.
 */
export function pastedKey(text: string, secrets: SecretScrubber): { vendor: Vendor | undefined } | undefined {
  const found = secrets.find(text)[0];
  if (!found) return undefined;
  const pasted = text.slice(found.start, found.end);
  return { vendor: VENDORS.find((v) => VENDOR_INFO[v].keyPattern.test(pasted)) };
}
