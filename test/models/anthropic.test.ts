import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { parseAnthropicRateLimits } from '../../adapters/models/rate-limit-headers.ts';
import { runModelProviderContract } from '../contracts/model-provider.contract.ts';
import { expectVendorError, keyFor, request, withFake, type ContractContext } from '../contracts/model-provider-support.ts';
import type { FakeBehaviour } from '../fakes/types.ts';

const createProvider = (baseUrl: string) => createAnthropicProvider({ baseUrl });

runModelProviderContract({ vendor: 'anthropic', createProvider });

const ctx: ContractContext = { vendor: 'anthropic', createProvider, key: keyFor('anthropic') };

describe('Anthropic specifics', () => {
  it('adds cache reads and writes back into input and splits 5m/1h writes', async () => {
    const usage = { input: 1000, cacheRead: 100, cacheWrite: 600, cacheWrite1h: 400, output: 20 };
    await withFake(ctx, { respond: () => ({ usage }) }, async (_fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(request('anthropic'), ctx.key, { timeoutMs: 5000, stream });
        expect(r.usage).toEqual({
          inputTokens: 1000,
          cacheReadTokens: 100,
          cacheWriteTokens: 600,
          cacheWrite1hTokens: 400,
          outputTokens: 20,
          reasoningTokens: 0,
          serviceTier: 'standard',
        });
        expect(r.rawUsage).toMatchObject({
          input_tokens: 300,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 600,
          cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 400 },
        });
      }
    });
  });

  it('reads thinking tokens from output_tokens_details without adding them twice', async () => {
    await withFake(ctx, { respond: () => ({ usage: { output: 500, reasoning: 320 } }) }, async (_fake, provider) => {
      const r = await provider.generate(request('anthropic'), ctx.key, { timeoutMs: 5000, stream: true });
      expect(r.usage).toMatchObject({ outputTokens: 500, reasoningTokens: 320 });
    });
  });

  it('sends max_tokens, the system prompt and temperature only when given', async () => {
    await withFake(ctx, {}, async (fake, provider) => {
      await provider.generate(request('anthropic', { maxTokens: 77 }), ctx.key, { timeoutMs: 5000 });
      await provider.generate(request('anthropic', { temperature: 0.2 }), ctx.key, { timeoutMs: 5000 });
      const [first, second] = fake.requests.map((q) => q.body as Record<string, unknown>);
      expect(first).toMatchObject({ max_tokens: 77, system: 'You are terse.' });
      expect(first).not.toHaveProperty('temperature');
      expect(second).toMatchObject({ temperature: 0.2 });
    });
  });

  it("does not hit the SDK's streaming-required guard for a large non-stream max_tokens", async () => {
    await withFake(ctx, {}, async (fake, provider) => {
      await provider.generate(request('anthropic', { maxTokens: 64_000 }), ctx.key, { timeoutMs: 5000 });
      expect(fake.requests[0]?.body).toMatchObject({ max_tokens: 64_000 });
    });
  });

  it('reports requests, input-token and output-token windows', async () => {
    const rateLimit = { requests: 10, inputTokens: 1000, outputTokens: 500, windowMs: 60_000 };
    await withFake(ctx, { rateLimit, respond: () => ({ usage: { input: 100 } }) }, async (_fake, provider) => {
      const r = await provider.generate(request('anthropic'), ctx.key, { timeoutMs: 5000 });
      expect(r.rateLimit?.inputTokens).toMatchObject({ limit: 1000, remaining: 900 });
      expect(r.rateLimit?.outputTokens).toMatchObject({ limit: 500, remaining: 500 });
    });
  });

  const keyFatal: Array<[string, FakeBehaviour, 'spend_limit' | 'quota' | 'rate_limit']> = [
    ['contract spend limit code', { status: 429, errorType: 'contract_spend_limit_reached' }, 'spend_limit'],
    ['spend limit named only in the message', { status: 429, errorMessage: 'Workspace spend limit reached.' }, 'spend_limit'],
    ['billing_error type', { status: 402, errorType: 'billing_error' }, 'quota'],
    ['ramp limit (a real rate limit)', { status: 429, errorType: 'ramp_limit_exceeded', retryAfterMs: 4000 }, 'rate_limit'],
  ];
  for (const [name, b, kind] of keyFatal) {
    it(`classifies ${name} as ${kind}`, async () => {
      await withFake(ctx, { respond: () => b }, async (_fake, provider) => {
        await expectVendorError(ctx, provider.generate(request('anthropic'), ctx.key, { timeoutMs: 5000 }), kind);
      });
    });
  }

  it('a 200 stream ending in an api_error event is server', async () => {
    const streamError = { afterChunks: 0, status: 500, errorType: 'api_error', errorMessage: 'Internal server error' };
    await withFake(ctx, { respond: () => ({ streamError }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.generate(request('anthropic'), ctx.key, { timeoutMs: 5000, stream: true }), 'server');
    });
  });
});

describe('parseAnthropicRateLimits', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const headers = (h: Record<string, string>) => new Headers(h);

  it('turns RFC 3339 resets into milliseconds from now, with how much their rounding hides', () => {
    const snap = parseAnthropicRateLimits(
      headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2025-06-01T12:00:01Z',
        'anthropic-ratelimit-tokens-limit': '90000',
        'anthropic-ratelimit-tokens-remaining': '89000',
        'anthropic-ratelimit-tokens-reset': '2025-06-01T12:00:00.500Z',
        'anthropic-ratelimit-output-tokens-reset': '2025-06-01T11:59:00Z',
      }),
      now,
    );
    expect(snap).toEqual({
      // A whole-second instant may be up to a second late; one stated to the millisecond, exact.
      requests: { limit: 50, remaining: 49, resetMs: 1000, resetSlackMs: 1000 },
      tokens: { limit: 90000, remaining: 89000, resetMs: 500, resetSlackMs: 1 },
      outputTokens: { resetMs: 0, resetSlackMs: 1000 },
    });
  });

  it('is undefined when no limit headers came back', () => {
    expect(parseAnthropicRateLimits(headers({ 'request-id': 'req_1' }), now)).toBeUndefined();
  });
});
