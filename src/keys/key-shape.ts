import { UserError } from '../errors.ts';
import type { Vendor } from '../types.ts';
import { VENDORS } from '../types.ts';
import { VENDOR_INFO } from '../vendors/vendor-info.ts';

/** "a Google Gemini key", "an OpenAI key", "an Anthropic key". */
function withArticle(label: string): string {
  return `${/^[AEIOU]/i.test(label) ? 'an' : 'a'} ${label}`;
}

/** Trims a pasted key and rejects obvious mistakes before any vendor call. */
export function validateKeyShape(vendor: Vendor, raw: string): string {
  const key = raw.trim();
  const label = VENDOR_INFO[vendor].label;
  if (key.length === 0) throw new UserError(`The ${label} key is empty.`, 'key_invalid');
  if (/\s/.test(key)) throw new UserError(`The ${label} key contains spaces or line breaks; paste the key alone.`, 'key_invalid');
  if (key.length < 20 || key.length > 512) throw new UserError(`That does not look like ${withArticle(label)} API key (unexpected length).`, 'key_invalid');
  const other = VENDORS.find((v) => v !== vendor && VENDOR_INFO[v].keyPattern.test(key) && !VENDOR_INFO[vendor].keyPattern.test(key));
  if (other) throw new UserError(`That looks like ${withArticle(VENDOR_INFO[other].label)} key, not ${withArticle(label)} key.`, 'key_wrong_vendor');
  return key;
}
