/**
 * The provider spec: what a model vendor's adapter implements and returns, in words of its own.
 * It depends on nothing, so a vendor package can be read (or written) from this file alone.
 */

/** Vendors Hive can route to; each one is an independent lane of rate limits and billing. */
export type Vendor = 'anthropic' | 'openai' | 'google';

export const VENDORS: readonly Vendor[] = ['anthropic', 'openai', 'google'];

/**
 * Normalised token usage. Totals are inclusive so every vendor reads the same way:
 * `inputTokens` includes cache reads and writes; `outputTokens` includes reasoning.
 */
export interface Usage {
  inputTokens: number;
  cacheReadTokens: number;
  /** All cache-write tokens (5-minute and 1-hour); a subset of `inputTokens`. */
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written with a 1-hour TTL (Anthropic bills it higher). */
  cacheWrite1hTokens: number;
  outputTokens: number;
  /** Reasoning/thinking tokens; a subset of `outputTokens`, billed as output. */
  reasoningTokens: number;
  /** Where the vendor says inference ran when it prices that (Anthropic `inference_geo`: `us`, `global`). */
  inferenceGeo?: string;
  /** The processing tier the vendor says it served (OpenAI `default`/`flex`/`priority`, Anthropic `standard`/`priority`). */
  serviceTier?: string;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'other';

/** One chat turn sent to a model. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  /** Files the model reads natively with this (user) turn, placed before its text. */
  files?: ModelFile[];
}

/**
 * A file sent to a model as the vendor's native block (Anthropic `image`/`document`, OpenAI
 * `image_url`/`file`, Gemini `inlineData`). Text-like files never come here: the core fences them
 * into the turn's text. The bytes live in memory for the call alone.
 */
export interface ModelFile {
  kind: 'image' | 'pdf';
  /** The type read from the bytes: `image/png`, `image/jpeg`, `image/gif`, `image/webp`, `application/pdf`. */
  mediaType: string;
  /** The name as shared, for vendors that take one (OpenAI's `filename`) and for the model's reference. */
  name: string;
  data: Uint8Array;
}

/** A vendor-neutral request; providers translate it to their wire format. */
export interface ModelRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
}

/** What a vendor told us about our remaining rate limit, parsed from response headers. */
export interface RateLimitSnapshot {
  requests?: LimitWindow;
  /** Combined token limit (OpenAI `x-ratelimit-*-tokens`, Anthropic `anthropic-ratelimit-tokens-*`). */
  tokens?: LimitWindow;
  inputTokens?: LimitWindow;
  outputTokens?: LimitWindow;
}

export interface LimitWindow {
  limit?: number;
  remaining?: number;
  /** Milliseconds until the window is full again, relative to when the response arrived (see `resetFromCount`). */
  resetMs?: number;
  /** `resetMs` counts from when the vendor counted the call (a stated duration), not from the response. */
  resetFromCount?: boolean;
  /** How much sooner than `resetMs` says the window may be full: the header's rounding (whole seconds: 1000). */
  resetSlackMs?: number;
}

/** The normalised result of one successful model call. */
export interface ModelResult {
  vendor: Vendor;
  /** The model id that was requested. */
  model: string;
  /** The model id the vendor reports having served (often a dated snapshot). */
  responseModel?: string;
  text: string;
  usage: Usage;
  finishReason: { unified: FinishReason; raw: string | null };
  requestId?: string;
  latencyMs: number;
  /** Time to first streamed text, when streaming. */
  firstTokenMs?: number;
  /** The vendor's usage object exactly as received, kept for audit. */
  rawUsage: unknown;
  rateLimit?: RateLimitSnapshot;
}

/** Per-call options: cancellation, deadline and streaming. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Deadline for the whole call, including the stream. */
  timeoutMs: number;
  /** Stream the answer; `onText` then receives deltas as they arrive. */
  stream?: boolean;
  onText?: (delta: string) => void;
}

/** A thin, stateless wrapper over one vendor SDK; the key is passed per call, never held. */
export interface ModelProvider {
  readonly vendor: Vendor;
  generate(req: ModelRequest, apiKey: string, opts: CallOptions): Promise<ModelResult>;
  /** Cheap authenticated call used to verify a key before it is stored. */
  listModels(apiKey: string, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<string[]>;
}

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});
