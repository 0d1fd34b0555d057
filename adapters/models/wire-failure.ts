import type { HeaderLike } from './durations.ts';

/**
 * What a vendor said when it refused a call, lifted out of whichever SDK error carried it,
 * so one classifier serves all three SDKs.
 */
export interface WireFailure {
  /** HTTP status; undefined for an error event inside a 200 stream. */
  status?: number;
  /** Anthropic `error.type`, OpenAI `error.type`, Google `error.status` (e.g. RESOURCE_EXHAUSTED). */
  type?: string;
  /** Anthropic `details.error_code`, OpenAI `error.code`, Google ErrorInfo `reason`. */
  code?: string;
  /** The vendor's human-readable explanation. */
  message?: string;
  headers?: HeaderLike;
  requestId?: string;
  /** Google's `error.details` (RetryInfo, QuotaFailure, ErrorInfo). */
  details?: unknown[];
}
