import type { IncomingHttpHeaders } from 'node:http';
import type { FakeStreamError, FakeUsage } from './types.ts';
import type { FileScan } from './wire-files.ts';

/** Which endpoint a request hit. */
export type FakeRoute = { kind: 'generate'; model: string; stream: boolean } | { kind: 'models' };

/** A complete non-stream HTTP reply. */
export interface WireReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** Everything a wire module needs to render one successful answer. */
export interface AnswerSpec {
  id: string;
  responseModel: string;
  text: string;
  chunks: string[];
  usage: FakeUsage;
  finishReason: string;
}

/** A scripted error, before vendor formatting. */
export interface ErrorSpec {
  status: number;
  model: string;
  errorType?: string | undefined;
  errorMessage?: string | undefined;
  retryAfterMs?: number | undefined;
  quota?: { period: 'minute' | 'day'; limit: number } | undefined;
}

/** A stream, pre-rendered as SSE frames so the writer can cut, delay or corrupt it. */
export interface StreamPlan {
  head: string[];
  /** One frame per text chunk. */
  chunks: string[];
  /** Final events (finish, usage, stop); never sent when the stream is cut. */
  tail: string[];
  malformed: string;
  error(e: FakeStreamError): string;
}

/** One window's state, used to render a vendor's rate-limit headers. */
export interface LimitWindowState {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** All windows of one key, as the limiter sees them at this response. */
export interface LimitState {
  requests: LimitWindowState;
  inputTokens?: LimitWindowState;
  outputTokens?: LimitWindowState;
}

/** How one vendor speaks HTTP; the server in fake-vendor.ts is vendor-neutral. */
export interface VendorWire {
  /** Path prefix that turns the server origin into the SDK's base URL. */
  basePath: string;
  route(method: string, url: URL): FakeRoute | undefined;
  apiKey(headers: IncomingHttpHeaders, url: URL): string;
  /** The model named in the body, for vendors that put it there. */
  bodyModel(body: unknown): string | undefined;
  bodyStream(body: unknown): boolean;
  /** All prompt text (system and every turn), to estimate input tokens. */
  promptText(body: unknown): string;
  lastUserText(body: unknown): string;
  /** A fresh vendor-style answer id (msg_…, chatcmpl-…, responseId). */
  newId(): string;
  /** Headers every response carries (request id). */
  baseHeaders(): Record<string, string>;
  json(a: AnswerSpec): unknown;
  stream(a: AnswerSpec): StreamPlan;
  error(e: ErrorSpec): WireReply;
  badKey(apiKey: string): WireReply;
  /** The vendor's 429 when the fake's own limiter refuses; `limit` is the request limit that ran out. */
  rateLimited(retryAfterMs: number, model: string, limit: number): WireReply;
  limitHeaders(s: LimitState, now: number): Record<string, string>;
  models(ids: string[]): unknown;
  defaultFinish: string;
  defaultModels: string[];
  /** The request's native file blocks, decoded, or the vendor's 400 for a malformed one (checked before the model's rules). */
  files?(body: unknown): FileScan;
  /** The vendor's 400 for a request its model rejects (sampling, effort, prefill), checked before anything else is scripted. */
  refuseRequest?(model: string, body: unknown): WireReply | undefined;
}
