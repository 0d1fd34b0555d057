import type { Usage, Vendor } from '../../src/shared/provider-spec.ts';
import { startDeadline } from './deadline.ts';
import { toVendorError } from './errors.ts';
import type { WireFailure } from './wire-failure.ts';

/** Carries an exception thrown by the caller's own `onText`, so it is not blamed on the vendor. */
class CallbackError extends Error {
  constructor(cause: unknown) {
    super('onText callback failed', { cause });
  }
}

/** What a call body reports while it runs, so a failure can say how far it got. */
export interface CallState {
  /** Headers of a streamed response arrived; from here a dropped socket is a cut stream. */
  streaming: boolean;
  /** The latest usage the vendor reported mid-stream, counted even if the call then fails. */
  partialUsage?: Usage;
  /** Characters of answer streamed so far: what a cut stream had generated, for its estimated cost. */
  streamedChars: number;
  /** The model the vendor names in the stream, so a cut stream is priced as what served it. */
  responseModel?: string;
  /** The tier the vendor names in the stream (OpenAI, on every chunk), so a cut stream keeps its rates. */
  serviceTier?: string;
  /** Where the endpoint processes the call (OpenAI's regional hosts), so a cut stream keeps its regional rate. */
  inferenceGeo?: string;
}

/** The per-vendor half of a guarded call. */
export interface GuardSpec {
  vendor: Vendor;
  apiKey: string;
  describe: (err: unknown) => WireFailure | undefined;
}

/**
 * Runs one vendor call under a deadline that covers the whole stream, and rethrows every
 * failure as a VendorError; this is the only place provider errors are normalised.
 */
export async function guardCall<T>(
  spec: GuardSpec,
  opts: { signal?: AbortSignal | undefined; timeoutMs: number },
  run: (signal: AbortSignal, state: CallState) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(opts);
  const state: CallState = { streaming: false, streamedChars: 0 };
  try {
    if (deadline.stopReason()) throw new Error('stopped before the request was sent');
    return await run(deadline.signal, state);
  } catch (err) {
    if (err instanceof CallbackError) throw err.cause;
    throw toVendorError(err, {
      ...spec,
      timeoutMs: opts.timeoutMs,
      stopReason: deadline.stopReason(),
      streaming: state.streaming,
      partialUsage: state.partialUsage,
      streamedChars: state.streamedChars,
      served: { responseModel: state.responseModel, serviceTier: state.serviceTier, inferenceGeo: state.inferenceGeo },
    });
  } finally {
    deadline.dispose();
  }
}

/** Collects streamed text in order, forwards each delta, and times the first one. */
export interface TextCollector {
  push(delta: string): void;
  text(): string;
  firstTokenMs(): number | undefined;
}

/**
 * Creates a collector whose first-token clock starts at `startedAt` (a `performance.now()`
 * reading); it counts what was streamed into `state`, so a cut stream can be billed for it.
 */
export function createTextCollector(startedAt: number, onText?: (delta: string) => void, state?: CallState): TextCollector {
  const parts: string[] = [];
  let first: number | undefined;
  return {
    push(delta) {
      if (delta === '') return;
      first ??= Math.round(performance.now() - startedAt);
      parts.push(delta);
      if (state) state.streamedChars += delta.length;
      try {
        onText?.(delta);
      } catch (err) {
        throw new CallbackError(err);
      }
    },
    text: () => parts.join(''),
    firstTokenMs: () => first,
  };
}

/** Milliseconds since a `performance.now()` reading, rounded for logs and footers. */
export function elapsedMs(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
