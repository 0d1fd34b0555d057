import { expect } from 'vitest';
import { VendorError } from '../../src/shared/errors.ts';
import { NATIVES, RICH_USAGE } from './model-provider-natives.ts';
import { expectVendorError, request, withFake, type ContractCase, type ContractContext } from './model-provider-support.ts';

const LONG = 'one two three four five six seven eight';

function expectPartialUsage(ctx: ContractContext, err: VendorError): void {
  if (NATIVES[ctx.vendor].usageBeforeCut) expect(err.partialUsage).toMatchObject({ inputTokens: RICH_USAGE.input });
  else expect(err.partialUsage).toBeUndefined();
}

/** Streaming failures: a stream is a success only if the vendor finished it. */
export const streamCases = {
  'a cut stream is stream_cut, never a partial success, with usage reported so far': async (ctx) => {
    await withFake(ctx, { respond: () => ({ text: LONG, usage: RICH_USAGE, cutAfterChunks: 2 }) }, async (fake, provider) => {
      const deltas: string[] = [];
      const call = provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, stream: true, onText: (d) => deltas.push(d) });
      const err = await expectVendorError(ctx, call, 'stream_cut');
      expect(deltas.join('')).toBe('one two ');
      expectPartialUsage(ctx, err);
      expect(fake.requests).toHaveLength(1);
    });
  },

  'a stream cut before any text is stream_cut': async (ctx) => {
    await withFake(ctx, { respond: () => ({ text: LONG, cutAfterChunks: 0 }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, stream: true }), 'stream_cut');
    });
  },

  'a malformed chunk is bad_response': async (ctx) => {
    await withFake(ctx, { respond: () => ({ text: LONG, malformedChunk: true }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, stream: true }), 'bad_response');
    });
  },

  'an error event inside a 200 stream is classified, not a success': async (ctx) => {
    const { error, kind } = NATIVES[ctx.vendor].midStreamError;
    await withFake(ctx, { respond: () => ({ text: LONG, streamError: error }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, stream: true }), kind);
    });
  },

  'a stream slower than timeoutMs is timeout, with usage reported so far': async (ctx) => {
    const respond = () => ({ text: LONG, usage: RICH_USAGE, chunkDelayMs: 60 });
    await withFake(ctx, { respond }, async (_fake, provider) => {
      const started = Date.now();
      const call = provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 200, stream: true });
      const err = await expectVendorError(ctx, call, 'timeout');
      expect(Date.now() - started).toBeLessThan(1500);
      expectPartialUsage(ctx, err);
    });
  },

  'a caller abort mid-stream is aborted': async (ctx) => {
    await withFake(ctx, { respond: () => ({ text: LONG, chunkDelayMs: 30 }) }, async (_fake, provider) => {
      const ac = new AbortController();
      const call = provider.generate(request(ctx.vendor), ctx.key, {
        timeoutMs: 5000,
        stream: true,
        signal: ac.signal,
        onText: () => ac.abort(),
      });
      await expectVendorError(ctx, call, 'aborted');
    });
  },

  'an HTTP error before the stream starts is classified like JSON': async (ctx) => {
    await withFake(ctx, { respond: () => ({ status: 429, headers: { 'retry-after': '2' }, retryAfterMs: 2000 }) }, async (_f, provider) => {
      const err = await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, stream: true }), 'rate_limit');
      expect(err.retryAfterMs).toBe(2000);
    });
  },

  "an exception thrown by the caller's onText propagates unchanged and frees the connection": async (ctx) => {
    await withFake(ctx, { respond: () => ({ text: LONG, chunkDelayMs: 100 }) }, async (fake, provider) => {
      const boom = new Error('consumer broke');
      const call = provider.generate(request(ctx.vendor), ctx.key, {
        timeoutMs: 5000,
        stream: true,
        onText: () => {
          throw boom;
        },
      });
      await expect(call).rejects.toBe(boom);
      for (let i = 0; i < 20 && fake.inFlight() > 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(fake.inFlight()).toBe(0);
    });
  },
} satisfies Record<string, ContractCase>;
