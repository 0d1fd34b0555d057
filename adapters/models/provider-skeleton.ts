import type { ModelProvider, ModelRequest, ModelResult, Vendor } from '../../src/shared/provider-spec.ts';
import { createTextCollector, elapsedMs, guardCall, type CallState, type TextCollector } from './call.ts';
import { compact } from './json.ts';
import type { WireFailure } from './wire-failure.ts';

/** What a vendor reads off one answer; the skeleton adds the vendor, the model and the timings. */
export type VendorAnswer = Omit<ModelResult, 'vendor' | 'model' | 'latencyMs' | 'firstTokenMs'>;

/** The vendor-specific half of a provider, over its official SDK client `C` and stream type `S`. */
export interface ProviderParts<C, S> {
  vendor: Vendor;
  /** A client for one call: the key is passed per call, never kept, and SDK retries are off (the router retries). */
  makeClient(apiKey: string, timeoutMs: number): C;
  /** Recognises the SDK's errors, so every failure becomes a classified VendorError. */
  describe(err: unknown): WireFailure | undefined;
  /** One non-streamed call. */
  send(ai: C, req: ModelRequest, signal: AbortSignal): Promise<VendorAnswer>;
  stream: {
    /** Sends the request; resolves once the response has started (headers arrived). */
    open(ai: C, req: ModelRequest, signal: AbortSignal): Promise<S>;
    /** Reads the stream to its end, pushing text deltas and reporting usage as it arrives. */
    read(frames: S, text: TextCollector, state: CallState): Promise<VendorAnswer>;
  };
  /** The model ids the key can use. */
  list(ai: C, signal: AbortSignal): Promise<string[]>;
}

/** How long a key check (`listModels`) may take when the caller sets no deadline. */
const LIST_TIMEOUT_MS = 15_000;

/**
 * Builds a ModelProvider from a vendor's parts, so every provider times, streams, guards and
 * classifies its calls the same way and only the SDK calls and mappings differ.
 */
export function createProvider<C, S>(parts: ProviderParts<C, S>): ModelProvider {
  const guard = (apiKey: string) => ({ vendor: parts.vendor, apiKey, describe: parts.describe });
  return {
    vendor: parts.vendor,
    generate(req, apiKey, call) {
      return guardCall(guard(apiKey), call, async (signal, state) => {
        const ai = parts.makeClient(apiKey, call.timeoutMs);
        const startedAt = performance.now();
        if (!call.stream) {
          const answer = await parts.send(ai, req, signal);
          return { vendor: parts.vendor, model: req.model, ...answer, latencyMs: elapsedMs(startedAt) };
        }
        const frames = await parts.stream.open(ai, req, signal);
        state.streaming = true;
        const text = createTextCollector(startedAt, call.onText, state);
        const answer = await parts.stream.read(frames, text, state);
        return compact({ vendor: parts.vendor, model: req.model, ...answer, latencyMs: elapsedMs(startedAt), firstTokenMs: text.firstTokenMs() });
      });
    },
    listModels(apiKey, listOpts = {}) {
      const timeoutMs = listOpts.timeoutMs ?? LIST_TIMEOUT_MS;
      return guardCall(guard(apiKey), { signal: listOpts.signal, timeoutMs }, (signal) => parts.list(parts.makeClient(apiKey, timeoutMs), signal));
    },
  };
}
