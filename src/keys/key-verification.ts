import { KEY_FATAL_KINDS, UserError, VendorError } from '../shared/errors.ts';
import type { ModelProvider, Vendor } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';

/** How long a key check may take before it is reported as unverifiable. */
const DEFAULT_VERIFY_TIMEOUT_MS = 15_000;

/** Proves a key works by listing the vendor's models; a failure becomes a message the admin can act on. */
export async function verifyKey(provider: ModelProvider, vendor: Vendor, key: string, timeoutMs?: number): Promise<void> {
  try {
    await provider.listModels(key, { timeoutMs: timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS });
  } catch (e) {
    throw verificationError(vendor, e);
  }
}

/** Turns a failed verification into an actionable message naming the vendor and its reason. */
function verificationError(vendor: Vendor, e: unknown): UserError {
  const info = VENDOR_INFO[vendor];
  if (e instanceof VendorError && KEY_FATAL_KINDS.includes(e.kind)) {
    return new UserError(`${info.label} rejected this key: ${e.message}. Check or create a key at ${info.keysUrl}`, 'key_rejected');
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new UserError(`Could not verify the ${info.label} key (${reason}). Try again, or skip the check with --no-verify.`, 'key_unverifiable');
}
