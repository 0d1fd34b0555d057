import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../adapters/models/durations.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import { computeCost } from '../../src/money/cost.ts';
import { parseOpenAIRateLimits } from '../../adapters/models/rate-limit-headers.ts';
import { runModelProviderContract } from '../contracts/model-provider.contract.ts';
import { expectVendorError, keyFor, request, withFake, type ContractContext } from '../contracts/model-provider-support.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const createProvider = (baseUrl: string) => createOpenAIProvider({ baseUrl });

runModelProviderContract({
  vendor: 'openai',
  createProvider,
  skip: { '529 is overloaded': 'OpenAI never sends 529; its overload is 503' },
});

const ctx: ContractContext = { vendor: 'openai', createProvider, key: keyFor('openai') };

describe('OpenAI specifics', () => {
  it('keeps reasoning inside completion_tokens and cached inside prompt_tokens', async () => {
    const usage = { input: 2000, cacheRead: 1536, output: 300, reasoning: 256 };
    await withFake(ctx, { respond: () => ({ usage }) }, async (_fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(request('openai', { model: 'o4-mini' }), ctx.key, { timeoutMs: 5000, stream });
        expect(r.usage).toEqual({
          inputTokens: 2000,
          cacheReadTokens: 1536,
          cacheWriteTokens: 0,
          cacheWrite1hTokens: 0,
          outputTokens: 300,
          reasoningTokens: 256,
          serviceTier: 'default',
        });
      }
    });
  });

  it('GIVEN a model with a cache-write fee THEN written prompt tokens are read from the usage and billed at the write rate', async () => {
    const usage = { input: 2000, cacheRead: 1536, cacheWrite: 256, output: 300 };
    await withFake(ctx, { respond: () => ({ usage }) }, async (_fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(request('openai', { model: 'gpt-6.2-sol' }), ctx.key, { timeoutMs: 5000, stream });
        expect(r.usage).toMatchObject({ inputTokens: 2000, cacheReadTokens: 1536, cacheWriteTokens: 256, outputTokens: 300 });
        // 208 uncached × $2/M + 1,536 cached × $0.10/M + 256 written × $2.50/M + 300 out × $10/M
        expect(computeCost(builtInPrices, 'openai', 'gpt-6.2-sol', r.usage, { at: new Date('2026-12-01T12:00:00Z') })?.usd).toBeCloseTo(0.0042096, 10);
      }
    });
  });

  it('uses max_tokens for gpt-4o and max_completion_tokens for gpt-5 and o-series', async () => {
    const models = ['gpt-4o-mini', 'gpt-5-mini', 'o1', 'o3-mini', 'o4-mini'];
    await withFake(ctx, {}, async (fake, provider) => {
      for (const model of models) await provider.generate(request('openai', { model, maxTokens: 99 }), ctx.key, { timeoutMs: 5000 });
      const sent = fake.requests.map((q) => q.body as Record<string, unknown>);
      expect(sent[0]).toMatchObject({ max_tokens: 99 });
      expect(sent[0]).not.toHaveProperty('max_completion_tokens');
      for (const body of sent.slice(1)) {
        expect(body).toMatchObject({ max_completion_tokens: 99 });
        expect(body).not.toHaveProperty('max_tokens');
      }
    });
  });

  it('asks for usage on streams and sends the system prompt first', async () => {
    await withFake(ctx, {}, async (fake, provider) => {
      await provider.generate(request('openai'), ctx.key, { timeoutMs: 5000, stream: true });
      expect(fake.requests[0]?.body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user' }, { role: 'assistant' }, { role: 'user' }],
      });
    });
  });

  it("never sends the operator's OPENAI_ORG_ID or OPENAI_PROJECT_ID with a user's key", async () => {
    const saved = { org: process.env['OPENAI_ORG_ID'], project: process.env['OPENAI_PROJECT_ID'] };
    process.env['OPENAI_ORG_ID'] = 'org-operator';
    process.env['OPENAI_PROJECT_ID'] = 'proj_operator';
    try {
      await withFake(ctx, {}, async (fake, provider) => {
        await provider.generate(request('openai'), ctx.key, { timeoutMs: 5000 });
        expect(fake.requests[0]?.headers).not.toHaveProperty('openai-organization');
        expect(fake.requests[0]?.headers).not.toHaveProperty('openai-project');
      });
    } finally {
      for (const [name, value] of [
        ['OPENAI_ORG_ID', saved.org],
        ['OPENAI_PROJECT_ID', saved.project],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('reports the combined token window', async () => {
    const rateLimit = { requests: 5, inputTokens: 1000, outputTokens: 1000, windowMs: 60_000 };
    await withFake(ctx, { rateLimit, respond: () => ({ usage: { input: 150 } }) }, async (_fake, provider) => {
      const r = await provider.generate(request('openai'), ctx.key, { timeoutMs: 5000 });
      expect(r.rateLimit?.tokens).toMatchObject({ limit: 2000, remaining: 1850 });
    });
  });

  it('a per-minute 429 rate_limit_exceeded stays retryable while insufficient_quota does not', async () => {
    await withFake(ctx, { respond: () => ({ status: 429, errorType: 'rate_limit_exceeded' }) }, async (_fake, provider) => {
      const err = await expectVendorError(ctx, provider.generate(request('openai'), ctx.key, { timeoutMs: 5000 }), 'rate_limit');
      expect(err.retryable).toBe(true);
    });
  });
});

describe('OpenAI reset durations', () => {
  it.each([
    ['6m0s', 360_000],
    ['1s', 1000],
    ['120ms', 120],
    ['1.5s', 1500],
    ['1h2m3.5s', 3_723_500],
    ['0s', 0],
    ['250us', 0],
  ])('parses %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5', '1x', 's'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('builds the snapshot from x-ratelimit headers: resets count from the call, exact to their last unit', () => {
    const snap = parseOpenAIRateLimits(
      new Headers({
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '499',
        'x-ratelimit-reset-requests': '120ms',
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '29000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    );
    expect(snap).toEqual({
      requests: { limit: 500, remaining: 499, resetMs: 120, resetFromCount: true, resetSlackMs: 1 },
      tokens: { limit: 30000, remaining: 29000, resetMs: 360_000, resetFromCount: true, resetSlackMs: 1000 },
    });
  });
});
