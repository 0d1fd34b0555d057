import { VendorError } from '../shared/errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import type { SecretScrubber } from '../shared/secrets.ts';
import type { CallOutcome } from './model-call.ts';

/**
 * A call's outcome as its workspace may see it: the answer, the vendor's failure message and the
 * ids the vendor sent back, with the workspace's secrets and the operator's masked (whole, in pieces,
 * encoded). A vendor, or a proxy in front of one, may echo a key in any of them; from here they go
 * to replies, key health, evidence, the ledger and logs.
 */
export function scrubOutcome(out: CallOutcome, own: SecretScrubber): CallOutcome {
  const record = scrubRecord(out.record, own);
  if (out.ok) return { ok: true, result: { ...out.result, text: own.scrub(out.result.text), ...vendorStrings(out.result, own) }, record };
  const message = own.scrub(out.error.message);
  const error = message !== out.error.message && out.error instanceof VendorError ? out.error.withMessage(message) : out.error;
  return { ok: false, error, record };
}

function scrubRecord(r: CallRecord, own: SecretScrubber): CallRecord {
  const rawUsage = r.rawUsage === undefined ? undefined : scrubJson(r.rawUsage, own);
  return {
    ...r,
    ...vendorStrings(r, own),
    ...(rawUsage === undefined ? {} : { rawUsage }),
    ...(r.error ? { error: { ...r.error, message: own.scrub(r.error.message) } } : {}),
  };
}

/** The strings a vendor chose (served model, request id, raw finish reason), masked. */
function vendorStrings<T extends Pick<CallRecord, 'responseModel' | 'requestId' | 'finishReason'>>(x: T, own: SecretScrubber): Partial<T> {
  return {
    ...(x.responseModel === undefined ? {} : { responseModel: own.scrub(x.responseModel) }),
    ...(x.requestId === undefined ? {} : { requestId: own.scrub(x.requestId) }),
    ...(x.finishReason?.raw ? { finishReason: { ...x.finishReason, raw: own.scrub(x.finishReason.raw) } } : {}),
  } as Partial<T>;
}

/** The vendor's raw usage object, masked as serialized JSON (masks never break an escape, so it parses back). */
function scrubJson(v: unknown, own: SecretScrubber): unknown {
  const text = JSON.stringify(v);
  if (text === undefined || own.find(text).length === 0) return v;
  try {
    return JSON.parse(own.scrub(text)) as unknown;
  } catch {
    return own.scrub(text);
  }
}
