import type { IncomingHttpHeaders } from 'node:http';
import type { Vendor } from '../../src/shared/provider-spec.ts';

/**
 * Token counts in Hive's normalised semantics (input includes cache reads/writes, output
 * includes reasoning); each wire module converts them to its vendor's native fields.
 */
export interface FakeUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
  reasoning: number;
  /** Anthropic's `usage.inference_geo` (`us` for US-only inference); sent only when set. */
  inferenceGeo?: string;
  /** The tier served: OpenAI's top-level `service_tier` (default `default`), Anthropic's `usage.service_tier` (default `standard`). */
  serviceTier?: string;
}

/** An error the vendor reports inside a 200 stream (Anthropic `event: error`, OpenAI/Gemini error data). */
export interface FakeStreamError {
  afterChunks: number;
  status: number;
  errorType?: string;
  errorMessage?: string;
}

/** What the fake does with one request; the default is a plain "ok" answer. */
export interface FakeBehaviour {
  text?: string;
  usage?: Partial<FakeUsage>;
  /** Scripted error: the fake writes the vendor's real error body for this status/type. */
  status?: number;
  /** Anthropic error type or `details.error_code`; OpenAI error type/code; Gemini error status. */
  errorType?: string;
  errorMessage?: string;
  headers?: Record<string, string>;
  /** The vendor's native retry hint on a scripted error: retry-after header, or Gemini RetryInfo. */
  retryAfterMs?: number;
  /** Gemini 429 QuotaFailure: which quota ran out and its limit (0 = not in this tier). */
  quota?: { period: 'minute' | 'day'; limit: number };
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Delay between stream chunks. */
  chunkDelayMs?: number;
  /** Stream: `text` sent in these deltas (they must join to it) instead of word by word, e.g. a key split across deltas. */
  chunks?: string[];
  /** Never answer, until the client gives up. */
  hang?: boolean;
  /** Stream: destroy the socket after N text chunks, so no final or usage event arrives. */
  cutAfterChunks?: number;
  /** Stream: send one invalid JSON data frame after the first text chunk. */
  malformedChunk?: boolean;
  streamError?: FakeStreamError;
  /** Vendor-native finish value (end_turn, length, MAX_TOKENS...). */
  finishReason?: string;
  /** The (dated) model id the vendor reports having served. */
  responseModel?: string;
}

/** A native file block a request carried (Anthropic image/document, OpenAI image_url/file, Gemini inlineData), decoded. */
export interface FakeFileBlock {
  kind: 'image' | 'pdf';
  /** The media type the block declared. */
  mediaType: string;
  /** Length of the decoded bytes. */
  bytes: number;
  /** Hex SHA-256 of the decoded bytes, to compare with what the test sent. */
  sha256: string;
  /** The name, when the block carries one (Anthropic document `title`, OpenAI `filename`). */
  name?: string;
  /** Index of the turn in the vendor's message list (`messages`, `contents`). */
  message: number;
}

/** One request as the fake received it. */
export interface FakeRequest {
  vendor: Vendor;
  method: string;
  /** The URL path without the query, e.g. `/v1/messages`. */
  path: string;
  /** The raw query string, e.g. `?alt=sse`; empty when there is none. */
  search: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The model asked for; empty for list-models. */
  model: string;
  apiKey: string;
  stream: boolean;
  /** Text of the last user turn, handy for scripting answers. */
  lastUserText: string;
  /** All prompt text, system instruction and every turn. */
  promptText: string;
  /** The file blocks it carried, decoded, in order (none for a request with malformed ones: it was refused). */
  files: FakeFileBlock[];
  receivedAt: number;
}

/** Per-key limits the fake enforces (token buckets or fixed windows) and advertises in headers. */
export interface FakeRateLimit {
  /** Requests refilled per window. */
  requests: number;
  /** How many requests the bucket holds (default `requests`): a small bucket refilling fast is capacity 2, 4 a second. */
  requestsCapacity?: number;
  inputTokens?: number;
  outputTokens?: number;
  windowMs: number;
  /**
   * `bucket` (default): refilled continuously. `fixed-window`: `requests` (and tokens) per window
   * aligned to multiples of `windowMs` on the limiter's clock, all back at the boundary, as many
   * APIs count; `requestsCapacity` does not apply.
   */
  shape?: 'bucket' | 'fixed-window';
}

/** How to start a fake: which vendor, which keys are valid, and how it should behave. */
export interface FakeVendorOptions {
  vendor: Vendor;
  /** If set, other keys get the vendor's real bad-key error. */
  validKeys?: string[];
  /** Returned by the list-models endpoint. */
  models?: string[];
  /** Called for every routed request (list-models too); the default answers "ok". */
  respond?: (req: FakeRequest) => FakeBehaviour | Promise<FakeBehaviour>;
  rateLimit?: FakeRateLimit;
  /** The rate limiter's clock (share the bot's fake clock); real time by default. */
  now?: () => number;
}

/** A running fake vendor on 127.0.0.1. */
export interface FakeVendor {
  /** The exact value for the vendor's *_BASE_URL. */
  url: string;
  requests: FakeRequest[];
  inFlight(): number;
  readonly maxInFlight: number;
  /** 429s its rate limiter sent: in all, and after the key's first answered request. */
  rateLimited(): { total: number; afterFirstAnswer: number };
  close(): Promise<void>;
}
