import { costAsServed } from '../money/cost.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { HiveError, VendorError } from '../shared/errors.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { consumedByFailure } from './consumed-usage.ts';
import type { ModelRef } from '../shared/types.ts';
import type { CallOptions, ModelProvider, ModelRequest, ModelResult, Usage } from '../shared/provider-spec.ts';
import type { SecretScrubber } from '../shared/secrets.ts';
import type { CallInput } from './job-files.ts';

export type CallOutcome = { ok: true; result: ModelResult; record: CallRecord } | { ok: false; error: HiveError; record: CallRecord };

/** Makes one vendor call and records it (usage, cost, price date, failure) for ledger and evidence. */
export async function callModel(
  catalogue: PriceCatalogue,
  provider: ModelProvider,
  ref: ModelRef,
  input: ModelRequest | CallInput,
  apiKey: string,
  opts: CallOptions,
  attempt: string,
  startedAt: Date,
): Promise<CallOutcome> {
  const t0 = performance.now();
  const { request: req, fileTokens } = 'request' in input ? input : { request: input, fileTokens: 0 };
  try {
    const result = await provider.generate({ ...req, model: ref.model }, apiKey, opts);
    // Billed at the rate in force when the call started, as the model that served it.
    const { cost, pricedAs } = costAsServed(catalogue, ref.vendor, ref.model, result.responseModel, result.usage, startedAt);
    const record: CallRecord = {
      vendor: ref.vendor,
      model: ref.model,
      ...(result.responseModel ? { responseModel: result.responseModel } : {}),
      ...(pricedAs ? { pricedAs } : {}),
      ...(result.requestId ? { requestId: result.requestId } : {}),
      startedAt: startedAt.toISOString(),
      latencyMs: Math.round(result.latencyMs),
      usage: result.usage,
      rawUsage: result.rawUsage,
      costUsd: cost ? cost.usd : null,
      priceChecked: cost ? cost.priceChecked : null,
      finishReason: result.finishReason,
      outcome: 'ok',
      attempt,
    };
    return { ok: true, result, record };
  } catch (e) {
    const error = e instanceof HiveError ? e : new HiveError('internal', 'The model call failed unexpectedly', { cause: e });
    return { ok: false, error, record: failedRecord(catalogue, ref, { request: req, fileTokens }, error, { startedAt, ms: performance.now() - t0, attempt }) };
  }
}

function failedRecord(
  catalogue: PriceCatalogue,
  ref: ModelRef,
  input: CallInput,
  error: HiveError,
  { startedAt, ms, attempt }: { startedAt: Date; ms: number; attempt: string },
): CallRecord {
  const consumed = consumedByFailure(input.request, error, input.fileTokens);
  const partial: Usage | undefined = consumed?.usage;
  const served = error instanceof VendorError ? error.responseModel : undefined;
  const { cost, pricedAs } = partial ? costAsServed(catalogue, ref.vendor, ref.model, served, partial, startedAt) : { cost: undefined, pricedAs: undefined };
  return {
    vendor: ref.vendor,
    model: ref.model,
    ...(served ? { responseModel: served } : {}),
    ...(pricedAs ? { pricedAs } : {}),
    ...(error instanceof VendorError && error.requestId ? { requestId: error.requestId } : {}),
    startedAt: startedAt.toISOString(),
    latencyMs: Math.round(ms),
    ...(partial ? { usage: partial } : {}),
    ...(consumed?.estimated ? { estimated: consumed.estimated } : {}),
    // A call turned away before it ran (nothing streamed, no usage) is not billed by the vendors.
    costUsd: partial ? (cost ? cost.usd : null) : 0,
    priceChecked: cost ? cost.priceChecked : null,
    outcome: 'error',
    error: {
      code: error.code,
      ...(error instanceof VendorError ? { kind: error.kind } : {}),
      message: error.message,
      retryable: error.retryable,
    },
    attempt,
  };
}

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
