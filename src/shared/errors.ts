import type { Usage, Vendor } from './provider-spec.ts';

/** Options every Hive error may carry so the one retry loop can decide without string matching. */
export interface HiveErrorOptions {
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Base error: a stable `code`, whether a retry can help, and how long to wait first. */
export class HiveError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, opts: HiveErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HiveError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** The only error whose message is shown to chat users; write it for them, with the fix. */
export class UserError extends HiveError {
  /** Actions the reply offers (Confirm on a job held for confirmation), as the chat seam's `ActionOffer`s. */
  offers?: readonly Readonly<{ kind: string; ref: string }>[];
  constructor(message: string, code = 'user_error') {
    super(code, message);
    this.name = 'UserError';
  }
}

/** Every start-up configuration problem at once, each naming its variable. */
export class ConfigError extends HiveError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('config_invalid', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Why a vendor call failed, in terms the router acts on. */
export type VendorErrorKind =
  | 'auth' // 401/403: the key is bad or lacks access; not retryable
  | 'quota' // credits spent or a per-day quota exhausted; not retryable
  | 'spend_limit' // an account spend limit reached; not retryable
  | 'rate_limit' // 429 with headroom expected soon; retryable
  | 'overloaded' // 529/503: the vendor is busy; retryable, fail over
  | 'server' // other 5xx; retryable
  | 'timeout' // our deadline passed; retryable
  | 'stream_cut' // the stream ended before completion; retryable, never a partial success
  | 'bad_response' // malformed body or chunk; retryable
  | 'network' // connection refused/reset; retryable
  | 'bad_request' // 400/404/413/422: our request is wrong for this model; not retryable
  | 'aborted'; // cancelled by the caller; not retryable

const RETRYABLE: Record<VendorErrorKind, boolean> = {
  auth: false,
  quota: false,
  spend_limit: false,
  rate_limit: true,
  overloaded: true,
  server: true,
  timeout: true,
  stream_cut: true,
  bad_response: true,
  network: true,
  bad_request: false,
  aborted: false,
};

/** Kinds that mean the key itself is unusable until a human acts. */
export const KEY_FATAL_KINDS: readonly VendorErrorKind[] = ['auth', 'quota', 'spend_limit'];

export interface VendorErrorInit {
  vendor: Vendor;
  kind: VendorErrorKind;
  message: string;
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
  /** Usage the vendor reported before failing (e.g. a cut stream), so the cost is still counted. */
  partialUsage?: Usage;
  /** Set when the answer had begun streaming: characters generated before the failure. */
  streamedChars?: number;
  /** The model the vendor said was serving the call before it failed (a cut stream is priced as that model). */
  responseModel?: string;
  /** The processing tier the vendor said it served before failing (OpenAI names it on every chunk; usage comes last). */
  serviceTier?: string;
  /** Where the call was processed, when the endpoint says so (OpenAI's data-residency hosts): a cut stream keeps its rate. */
  inferenceGeo?: string;
  cause?: unknown;
}

/** A normalised vendor failure; the message never contains the API key. */
export class VendorError extends HiveError {
  readonly vendor: Vendor;
  readonly kind: VendorErrorKind;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly partialUsage: Usage | undefined;
  readonly streamedChars: number | undefined;
  readonly responseModel: string | undefined;
  readonly serviceTier: string | undefined;
  readonly inferenceGeo: string | undefined;
  readonly #init: VendorErrorInit;

  constructor(init: VendorErrorInit) {
    super(`${init.vendor}_${init.kind}`, init.message, {
      retryable: RETRYABLE[init.kind],
      retryAfterMs: init.retryAfterMs,
      cause: init.cause,
    });
    this.name = 'VendorError';
    this.vendor = init.vendor;
    this.kind = init.kind;
    this.status = init.status;
    this.requestId = init.requestId;
    this.partialUsage = init.partialUsage;
    this.streamedChars = init.streamedChars;
    this.responseModel = init.responseModel;
    this.serviceTier = init.serviceTier;
    this.inferenceGeo = init.inferenceGeo;
    this.#init = init;
  }

  /** The same failure, knowing how much answer had streamed before it, and what the vendor said was serving it. */
  withStreamed(chars: number, served: Pick<VendorErrorInit, 'responseModel' | 'serviceTier' | 'inferenceGeo'> = {}): VendorError {
    return new VendorError({
      ...this.#init,
      responseModel: this.responseModel ?? served.responseModel,
      serviceTier: this.serviceTier ?? served.serviceTier,
      inferenceGeo: this.inferenceGeo ?? served.inferenceGeo,
      streamedChars: chars,
    });
  }

  /** The same failure in other words: the vendor's text with secrets masked before anyone is shown it. */
  withMessage(message: string): VendorError {
    return new VendorError({ ...this.#init, message });
  }
}
