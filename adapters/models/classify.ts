import type { VendorErrorKind } from '../../src/shared/errors.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { parseRetryAfter } from './durations.ts';
import { googleRetryDelayMs, isGoogleHardQuota } from './google-details.ts';
import type { WireFailure } from './wire-failure.ts';

/** The router-facing verdict on one vendor refusal. */
export interface Classification {
  kind: VendorErrorKind;
  retryAfterMs?: number;
}

function text(f: WireFailure): string {
  return `${f.type ?? ''} ${f.code ?? ''} ${f.message ?? ''}`;
}

function anthropicKeyFatal(f: WireFailure): VendorErrorKind | undefined {
  if (/spend_limit|spend limit|API usage limits/i.test(text(f))) return 'spend_limit';
  if (f.type === 'billing_error' || /credit balance is too low/i.test(f.message ?? '')) return 'quota';
  return undefined;
}

function openaiKeyFatal(f: WireFailure): VendorErrorKind | undefined {
  if (f.code === 'billing_hard_limit_reached') return 'spend_limit';
  if (f.code === 'insufficient_quota' || f.type === 'insufficient_quota') return 'quota';
  return undefined;
}

function googleKeyFatal(f: WireFailure): VendorErrorKind | undefined {
  if (f.status === 400 && (f.code === 'API_KEY_INVALID' || /API key not valid/i.test(f.message ?? ''))) return 'auth';
  if ((f.status === 429 || f.type === 'RESOURCE_EXHAUSTED') && isGoogleHardQuota(f)) return 'quota';
  return undefined;
}

const KEY_FATAL: Record<Vendor, (f: WireFailure) => VendorErrorKind | undefined> = {
  anthropic: anthropicKeyFatal,
  openai: openaiKeyFatal,
  google: googleKeyFatal,
};

/** Error events inside a 200 stream carry a type but no status. */
function kindFromType(type: string | undefined): VendorErrorKind {
  if (type === 'overloaded_error' || type === 'UNAVAILABLE') return 'overloaded';
  if (type === 'rate_limit_error' || type === 'RESOURCE_EXHAUSTED') return 'rate_limit';
  if (type === 'authentication_error' || type === 'permission_error') return 'auth';
  if (type === 'invalid_request_error' || type === 'INVALID_ARGUMENT') return 'bad_request';
  return 'server';
}

function kindFromStatus(status: number, type: string | undefined): VendorErrorKind {
  if (type === 'overloaded_error' || status === 529 || status === 503) return 'overloaded';
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 409 || status >= 500) return 'server';
  return 'bad_request';
}

/** Maps a vendor refusal to the kind the router acts on, plus the vendor's own retry hint. */
export function classifyFailure(vendor: Vendor, f: WireFailure, now: number): Classification {
  const kind = KEY_FATAL[vendor](f) ?? (f.status === undefined ? kindFromType(f.type) : kindFromStatus(f.status, f.type));
  const retryAfterMs = parseRetryAfter(f.headers, now) ?? (vendor === 'google' ? googleRetryDelayMs(f) : undefined);
  return retryAfterMs === undefined ? { kind } : { kind, retryAfterMs };
}
