import { expect } from 'vitest';
import type { FinishReason } from '../../src/shared/provider-spec.ts';
import { splitText } from '../fakes/wire-util.ts';
import { NATIVES, RICH_USAGE, expectedUsage } from './model-provider-natives.ts';
import { expectVendorError, request, withFake, type ContractCase } from './model-provider-support.ts';

const ANSWER = 'Paris is the capital of France.';

/** Successful answers: text, usage, finish, ids, timing, headers, model listing. */
export const answerCases = {
  'answers JSON with text, normalised usage, raw usage, finish, request id and latency': async (ctx) => {
    const respond = () => ({ text: ANSWER, usage: RICH_USAGE, latencyMs: 40 });
    await withFake(ctx, { respond }, async (fake, provider) => {
      const req = request(ctx.vendor);
      const r = await provider.generate(req, ctx.key, { timeoutMs: 5000 });
      expect(r).toMatchObject({ vendor: ctx.vendor, model: req.model, text: ANSWER, usage: expectedUsage(ctx.vendor) });
      expect(r.finishReason).toEqual({ unified: 'stop', raw: NATIVES[ctx.vendor].finish.stop });
      expect(r.rawUsage).toEqual(NATIVES[ctx.vendor].rawUsage(RICH_USAGE));
      expect(r.requestId).toMatch(/^\S{8,}$/);
      expect(r.latencyMs).toBeGreaterThanOrEqual(35);
      expect(r.firstTokenMs).toBeUndefined();
      expect(fake.requests.map((q) => q.stream)).toEqual([false]);
    });
  },

  'streams deltas in order and reports the same usage, finish and ids': async (ctx) => {
    const respond = () => ({ text: ANSWER, usage: RICH_USAGE, chunkDelayMs: 5 });
    await withFake(ctx, { respond }, async (fake, provider) => {
      const deltas: string[] = [];
      const r = await provider.generate(request(ctx.vendor), ctx.key, {
        timeoutMs: 5000,
        stream: true,
        onText: (d) => deltas.push(d),
      });
      expect(deltas).toEqual(splitText(ANSWER));
      expect(r.text).toBe(ANSWER);
      expect(r.usage).toEqual(expectedUsage(ctx.vendor));
      expect(r.rawUsage).toEqual(NATIVES[ctx.vendor].rawUsage(RICH_USAGE));
      expect(r.finishReason).toEqual({ unified: 'stop', raw: NATIVES[ctx.vendor].finish.stop });
      expect(r.requestId).toMatch(/^\S{8,}$/);
      expect(r.firstTokenMs).toBeGreaterThanOrEqual(0);
      expect(r.firstTokenMs).toBeLessThanOrEqual(r.latencyMs);
      expect(fake.requests.map((q) => q.stream)).toEqual([true]);
    });
  },

  'sends the key in the vendor header, never in the URL, with the conversation': async (ctx) => {
    await withFake(ctx, {}, async (fake, provider) => {
      const req = request(ctx.vendor);
      await provider.generate(req, ctx.key, { timeoutMs: 5000 });
      const seen = fake.requests[0];
      expect(seen?.apiKey).toBe(ctx.key);
      const carriers = NATIVES[ctx.vendor].keyHeaders.filter((h) => String(seen?.headers[h] ?? '').includes(ctx.key));
      expect(carriers.length).toBeGreaterThan(0);
      expect(`${seen?.path}${seen?.search}`).not.toContain(ctx.key);
      expect(seen?.model).toBe(req.model);
      expect(seen?.lastUserText).toBe('What is the capital of France?');
    });
  },

  'maps finish reasons to unified values and keeps the raw one': async (ctx) => {
    const table = [...Object.entries(NATIVES[ctx.vendor].finish), ['other', 'SOMETHING_NEW']] as Array<[FinishReason, string]>;
    let next = 0;
    await withFake(ctx, { respond: () => ({ finishReason: table[next]?.[1] }) }, async (_fake, provider) => {
      for (const [unified, raw] of table) {
        const r = await provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 });
        expect(r.finishReason).toEqual({ unified, raw });
        next += 1;
      }
    });
  },

  'reports the dated model id the vendor served': async (ctx) => {
    const req = request(ctx.vendor);
    const dated = `${req.model}-20250929`;
    await withFake(ctx, { respond: () => ({ responseModel: dated }) }, async (_fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(req, ctx.key, { timeoutMs: 5000, stream });
        expect({ model: r.model, responseModel: r.responseModel }).toEqual({ model: req.model, responseModel: dated });
      }
    });
  },

  'parses the rate-limit snapshot from response headers': async (ctx) => {
    const rateLimit = { requests: 10, inputTokens: 1000, outputTokens: 500, windowMs: 60_000 };
    await withFake(ctx, { rateLimit }, async (_fake, provider) => {
      const r = await provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 });
      expect(r.rateLimit?.requests).toMatchObject({ limit: 10, remaining: 9 });
      expect(r.rateLimit?.requests?.resetMs).toBeGreaterThan(0);
      expect(r.rateLimit?.requests?.resetMs).toBeLessThanOrEqual(61_000);
      const tokens = [r.rateLimit?.tokens, r.rateLimit?.inputTokens].filter((w) => w !== undefined);
      expect(tokens.some((w) => (w.remaining ?? 0) < (w.limit ?? 0))).toBe(true);
    });
  },

  'lists model ids with a good key': async (ctx) => {
    await withFake(ctx, { models: ['model-a', 'model-b'] }, async (fake, provider) => {
      expect(await provider.listModels(ctx.key, { timeoutMs: 5000 })).toEqual(['model-a', 'model-b']);
      expect(fake.requests.map((q) => [q.method, q.apiKey])).toEqual([['GET', ctx.key]]);
    });
  },

  'rejects a bad key on listModels as auth, with the vendor reason': async (ctx) => {
    const wrong = `${ctx.key.slice(0, -6)}WRONG1`;
    await withFake(ctx, {}, async (_fake, provider) => {
      const err = await expectVendorError({ ...ctx, key: wrong }, provider.listModels(wrong, { timeoutMs: 5000 }), 'auth');
      expect(err.message).toMatch(NATIVES[ctx.vendor].badKeyReason);
      expect(err.status).toBe(ctx.vendor === 'google' ? 400 : 401);
    });
  },

  'rejects a bad key on generate as auth': async (ctx) => {
    const wrong = `${ctx.key.slice(0, -6)}WRONG2`;
    await withFake(ctx, {}, async (fake, provider) => {
      await expectVendorError({ ...ctx, key: wrong }, provider.generate(request(ctx.vendor), wrong, { timeoutMs: 5000 }), 'auth');
      expect(fake.requests).toHaveLength(1);
    });
  },
} satisfies Record<string, ContractCase>;
