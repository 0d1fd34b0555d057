import type { Vendor } from '../shared/provider-spec.ts';

/** Per workspace × vendor traffic limits; `undefined` buckets are not enforced. */
export interface VendorLimits {
  concurrency: number;
  /** Requests per minute. */
  rpm: number;
  /** Input tokens per minute (Anthropic ITPM, Gemini input TPM). */
  itpm?: number;
  /** Output tokens per minute (Anthropic OTPM). */
  otpm?: number;
  /** Combined tokens per minute (OpenAI TPM counts input + max output). */
  tpm?: number;
  /** The window the limits above refill over; vendors use one minute (the default). */
  periodMs?: number;
}

/**
 * Conservative defaults near each vendor's entry tier; the real limits are learned from the
 * vendors' rate-limit headers on the first responses, and admins can override them.
 */
export const DEFAULT_VENDOR_LIMITS: Readonly<Record<Vendor, VendorLimits>> = {
  anthropic: { concurrency: 8, rpm: 50, itpm: 30_000, otpm: 8_000 },
  openai: { concurrency: 8, rpm: 500, tpm: 200_000 },
  google: { concurrency: 8, rpm: 150, itpm: 1_000_000 },
};

export function limitsFor(vendor: Vendor, override?: Partial<VendorLimits>): VendorLimits {
  return { ...DEFAULT_VENDOR_LIMITS[vendor], ...(override ?? {}) };
}
