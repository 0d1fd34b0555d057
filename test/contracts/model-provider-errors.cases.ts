import { expect } from 'vitest';
import type { VendorErrorKind } from '../../src/shared/errors.ts';
import type { FakeBehaviour } from '../fakes/types.ts';
import { keyPieces } from '../helpers/key-pieces.ts';
import { NATIVES } from './model-provider-natives.ts';
import { expectVendorError, request, withFake, type ContractCase, type ContractContext } from './model-provider-support.ts';

/** Scripts one failing JSON call and checks its kind, status and that the SDK sent exactly one request. */
async function scripted(ctx: ContractContext, b: FakeBehaviour, kind: VendorErrorKind, status = b.status) {
  let err: Awaited<ReturnType<typeof expectVendorError>> | undefined;
  await withFake(ctx, { respond: () => b }, async (fake, provider) => {
    err = await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 }), kind);
    expect(err.status).toBe(status);
    expect(fake.requests).toHaveLength(1);
  });
  if (!err) throw new Error('unreachable');
  return err;
}

/** HTTP-level refusals, limits, deadlines and cancellation. */
export const errorCases = {
  '429 with retry-after seconds is rate_limit with retryAfterMs': async (ctx) => {
    const err = await scripted(ctx, { status: 429, headers: { 'retry-after': '3' } }, 'rate_limit');
    expect(err.retryAfterMs).toBe(3000);
  },

  '429 with retry-after-ms is rate_limit with retryAfterMs': async (ctx) => {
    const err = await scripted(ctx, { status: 429, headers: { 'retry-after-ms': '1500' } }, 'rate_limit');
    expect(err.retryAfterMs).toBe(1500);
  },

  "429 with the vendor's native retry hint is rate_limit with retryAfterMs": async (ctx) => {
    const err = await scripted(ctx, { status: 429, retryAfterMs: 7000 }, 'rate_limit');
    expect(err.retryAfterMs).toBe(7000);
  },

  '429 without a retry hint is rate_limit without retryAfterMs': async (ctx) => {
    const err = await scripted(ctx, { status: 429 }, 'rate_limit');
    expect(err.retryAfterMs).toBeUndefined();
  },

  'a key over the enforced rate limit gets rate_limit with a hint': async (ctx) => {
    await withFake(ctx, { rateLimit: { requests: 1, windowMs: 4000 } }, async (fake, provider) => {
      await provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 });
      const err = await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 }), 'rate_limit');
      expect(err.retryAfterMs).toBeGreaterThan(0);
      expect(err.retryAfterMs).toBeLessThanOrEqual(4000);
      expect(fake.requests).toHaveLength(2);
    });
  },

  '529 is overloaded': async (ctx) => {
    await scripted(ctx, { status: 529 }, 'overloaded');
  },

  '503 is overloaded': async (ctx) => {
    await scripted(ctx, { status: 503 }, 'overloaded');
  },

  '500 is server': async (ctx) => {
    await scripted(ctx, { status: 500 }, 'server');
  },

  'exhausted credits or quota is quota, not retryable': async (ctx) => {
    await scripted(ctx, NATIVES[ctx.vendor].quota, 'quota');
  },

  'a reached spend limit is spend_limit, not retryable': async (ctx) => {
    const b = NATIVES[ctx.vendor].spendLimit;
    if (!b) throw new Error(`no spend-limit script for ${ctx.vendor}; skip this case with a reason`);
    await scripted(ctx, b, 'spend_limit');
  },

  '401 and 403 are auth': async (ctx) => {
    await scripted(ctx, { status: 401 }, 'auth');
    await scripted(ctx, { status: 403 }, 'auth');
  },

  '400 and 404 are bad_request': async (ctx) => {
    await scripted(ctx, { status: 400 }, 'bad_request');
    await scripted(ctx, { status: 404 }, 'bad_request');
  },

  'SDK retries are off: one request per failed call': async (ctx) => {
    const statuses = [429, 500, 503, 529, 408, 409];
    let i = 0;
    await withFake(ctx, { respond: () => ({ status: statuses[i] }) }, async (fake, provider) => {
      for (; i < statuses.length; i++) {
        await provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 }).catch(() => undefined);
        expect(fake.requests, `after status ${statuses[i]}`).toHaveLength(i + 1);
      }
    });
  },

  'a vendor echoing the key back does not leak it': async (ctx) => {
    const respond = (fr: { apiKey: string }) => ({ status: 400, errorMessage: `Key ${fr.apiKey} may not use this model` });
    await withFake(ctx, { respond }, async (_fake, provider) => {
      const err = await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 }), 'bad_request');
      expect(err.message).toContain(`Key ••••${ctx.key.slice(-4)} may not use this model`);
    });
  },

  'a vendor echoing the key in part and in base64 gives none of it away': async (ctx) => {
    const echo = (key: string) => `Key ${key.slice(0, -5)} refused (Authorization: Basic ${Buffer.from(`user:${key}`).toString('base64')})`;
    await withFake(ctx, { respond: (fr) => ({ status: 401, errorMessage: echo(fr.apiKey) }) }, async (_fake, provider) => {
      const err = await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 }), 'auth');
      expect(err.message).toContain('refused (Authorization: Basic ');
      expect(keyPieces(err.message, ctx.key)).toEqual([]);
    });
  },

  'a refused connection is network': async (ctx) => {
    await withFake(ctx, {}, async (fake, provider) => {
      await fake.close();
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000 }), 'network');
    });
  },

  'a vendor that never answers is timeout after timeoutMs, with one request': async (ctx) => {
    await withFake(ctx, { respond: () => ({ hang: true }) }, async (fake, provider) => {
      const started = Date.now();
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 150 }), 'timeout');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(fake.requests).toHaveLength(1);
    });
  },

  'a caller abort before headers is aborted': async (ctx) => {
    await withFake(ctx, { respond: () => ({ hang: true }) }, async (_fake, provider) => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 40);
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, signal: ac.signal }), 'aborted');
    });
  },

  'an already-aborted signal is aborted without a request': async (ctx) => {
    await withFake(ctx, {}, async (fake, provider) => {
      const signal = AbortSignal.abort();
      await expectVendorError(ctx, provider.generate(request(ctx.vendor), ctx.key, { timeoutMs: 5000, signal }), 'aborted');
      await expectVendorError(ctx, provider.listModels(ctx.key, { signal }), 'aborted');
      expect(fake.requests).toHaveLength(0);
    });
  },

  'listModels failures are classified too': async (ctx) => {
    await withFake(ctx, { respond: () => ({ status: 500 }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.listModels(ctx.key, { timeoutMs: 5000 }), 'server');
    });
    await withFake(ctx, { respond: () => ({ hang: true }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.listModels(ctx.key, { timeoutMs: 100 }), 'timeout');
    });
  },
} satisfies Record<string, ContractCase>;
