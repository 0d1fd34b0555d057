import { VendorError, type VendorErrorInit, type VendorErrorKind } from '../../src/shared/errors.ts';
import type { Usage, Vendor } from '../../src/shared/provider-spec.ts';
import { classifyFailure } from './classify.ts';
import type { StopReason } from './deadline.ts';
import { leaksSecret, redactSecrets } from './redact.ts';
import type { WireFailure } from './wire-failure.ts';

/** Everything needed to turn one failed call into a VendorError. */
export interface FailureContext {
  vendor: Vendor;
  apiKey: string;
  timeoutMs: number;
  /** Set when our deadline or the caller stopped the call; it outranks whatever the SDK threw. */
  stopReason?: StopReason | undefined;
  /** The response had started streaming, so a dropped connection is a cut stream. */
  streaming: boolean;
  partialUsage?: Usage | undefined;
  /** Characters of answer streamed before the failure (counted once streaming began). */
  streamedChars?: number | undefined;
  /** What the stream said was serving the call (model, tier), kept with a failure after streaming began. */
  served?: Pick<VendorErrorInit, 'responseModel' | 'serviceTier' | 'inferenceGeo'>;
  /** Lifts the vendor's refusal out of this SDK's error type, or undefined for non-HTTP errors. */
  describe: (err: unknown) => WireFailure | undefined;
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isParseError(err: unknown): boolean {
  return err instanceof SyntaxError || /JSON|parsing stream chunk/i.test(errorText(err));
}

/** Kinds for failures that never reached a vendor verdict: deadlines, parse errors, dropped sockets. */
function localKind(err: unknown, ctx: FailureContext): VendorErrorKind {
  if (ctx.stopReason) return ctx.stopReason === 'timeout' ? 'timeout' : 'aborted';
  if (/timeout/i.test(errorName(err))) return 'timeout';
  if (ctx.streaming && /Incomplete JSON segment/i.test(errorText(err))) return 'stream_cut'; // genai: closed mid-frame
  if (isParseError(err)) return 'bad_response';
  return ctx.streaming ? 'stream_cut' : 'network';
}

function localMessage(kind: VendorErrorKind, err: unknown, ctx: FailureContext): string {
  if (kind === 'timeout' && ctx.stopReason) return `${ctx.vendor} call exceeded its ${ctx.timeoutMs} ms deadline`;
  if (kind === 'aborted') return `${ctx.vendor} call was cancelled by the caller`;
  return `${ctx.vendor} ${kind}: ${errorText(err)}`;
}

function wireMessage(ctx: FailureContext, f: WireFailure): string {
  const label = [f.status ?? 'stream error', f.type, f.code].filter((x) => x !== undefined).join(' ');
  return `${ctx.vendor} ${label}: ${f.message ?? 'no message'}`;
}

/**
 * Normalises any failure of a vendor call into a VendorError, with the key scrubbed from
 * the message and never attached through `cause`.
 */
export function toVendorError(err: unknown, ctx: FailureContext): VendorError {
  const e = vendorErrorOf(err, ctx);
  // A failure after the answer began streaming cost tokens: say how much was generated.
  return ctx.streaming && e.streamedChars === undefined ? e.withStreamed(ctx.streamedChars ?? 0, ctx.served) : e;
}

function vendorErrorOf(err: unknown, ctx: FailureContext): VendorError {
  const partialUsage = ctx.partialUsage;
  if (err instanceof VendorError && !ctx.stopReason) return err;
  const failure = ctx.stopReason ? undefined : ctx.describe(err);
  if (failure) {
    const { kind, retryAfterMs } = classifyFailure(ctx.vendor, failure, Date.now());
    return new VendorError({
      vendor: ctx.vendor,
      kind,
      message: redactSecrets(wireMessage(ctx, failure), ctx.apiKey),
      status: failure.status,
      requestId: failure.requestId,
      retryAfterMs,
      partialUsage,
    });
  }
  const kind = localKind(err, ctx);
  const cause = leaksSecret(err, ctx.apiKey) || err instanceof VendorError ? undefined : err;
  const message = redactSecrets(localMessage(kind, err, ctx), ctx.apiKey);
  return new VendorError({ vendor: ctx.vendor, kind, message, partialUsage, cause });
}

/** Raised by our own stream readers when a stream ends without the vendor's final event. */
export function streamCut(vendor: Vendor, what: string, partialUsage?: Usage): VendorError {
  return new VendorError({ vendor, kind: 'stream_cut', message: `${vendor} stream ended before ${what}`, partialUsage });
}

/** Raised when a 200 response lacks what every valid answer carries. */
export function badResponse(vendor: Vendor, what: string): VendorError {
  return new VendorError({ vendor, kind: 'bad_response', message: `${vendor} response invalid: ${what}` });
}
