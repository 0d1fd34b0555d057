import { UserError } from '../shared/errors.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDORS } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';

/** "a Google Gemini key", "an OpenAI key", "an Anthropic key". */
function withArticle(label: string): string {
  return `${/^[AEIOU]/i.test(label) ? 'an' : 'a'} ${label}`;
}

/** What each vendor's keys look like, for a refusal that says what was expected (never the key itself). */
const KEY_SHAPES: Record<Vendor, string> = {
  anthropic: 'start with sk-ant- and are about 108 characters',
  openai: 'start with sk- and are about 50 to 170 characters',
  google: 'start with AIza and are 39 characters',
};

/** Trims a pasted key and rejects obvious mistakes before any vendor call. */
export function validateKeyShape(vendor: Vendor, raw: string): string {
  const key = raw.trim();
  const label = VENDOR_INFO[vendor].label;
  if (key.length === 0) throw new UserError(`The ${label} key is empty.`, 'key_invalid');
  if (/\s/.test(key)) throw new UserError(`The ${label} key contains spaces or line breaks; paste the key alone.`, 'key_invalid');
  if (key.length < 20 || key.length > 512) {
    const advice = key.length < 20 ? 'Copy the whole key.' : 'Paste one key alone.';
    const size = `${key.length.toLocaleString('en-US')} characters long`;
    throw new UserError(`That does not look like ${withArticle(label)} API key: it is ${size}; ${label} keys ${KEY_SHAPES[vendor]}. ${advice}`, 'key_invalid');
  }
  const other = VENDORS.find((v) => v !== vendor && VENDOR_INFO[v].keyPattern.test(key) && !VENDOR_INFO[vendor].keyPattern.test(key));
  if (other) throw new UserError(`That looks like ${withArticle(VENDOR_INFO[other].label)} key, not ${withArticle(label)} key.`, 'key_wrong_vendor');
  return key;
}
