import { VENDORS, type Vendor } from './provider-spec.ts';

/** Cost lanes: the routing unit that trades price for depth. */
export type LaneName = 'cheap' | 'balanced' | 'deep';

export const LANES: readonly LaneName[] = ['cheap', 'balanced', 'deep'];

/** A model addressed as `provider:model`; kept split so routing never re-parses strings. */
export interface ModelRef {
  vendor: Vendor;
  model: string;
}

/** Parses `provider:model`, splitting at the first colon. */
export function parseModelRef(text: string): ModelRef | undefined {
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) return undefined;
  const vendor = text.slice(0, i).toLowerCase();
  const model = text.slice(i + 1);
  if (!isVendor(vendor)) return undefined;
  return { vendor, model };
}

export function isVendor(v: string): v is Vendor {
  return (VENDORS as readonly string[]).includes(v);
}

/** Reads a vendor name as users type it (`OpenAI`, `gemini`); `undefined` when it is none. */
export function parseVendor(text: string | undefined): Vendor | undefined {
  const name = text?.trim().toLowerCase();
  const v = name === 'gemini' ? 'google' : name;
  return v !== undefined && isVendor(v) ? v : undefined;
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.vendor}:${ref.model}`;
}
