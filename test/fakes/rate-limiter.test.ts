import { afterEach, describe, expect, it } from 'vitest';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { anthropicWire } from './anthropic-wire.ts';
import { startFakeVendor, type FakeVendor } from './fake-vendor.ts';
import { googleWire } from './google-wire.ts';
import { openaiWire } from './openai-wire.ts';
import { createFakeRateLimiter } from './rate-limiter.ts';
import type { FakeRateLimit } from './types.ts';

/** A whole minute on the clock, so windows of 1 s and 1 min both start here. */
const MINUTE = Date.UTC(2026, 11, 1, 14, 0, 0);
const KEY = fakeSecret('sk-', 'limiter-fakeTEST0123456789abcdef');
const OTHER = fakeSecret('sk-', 'limiter-otherTEST0123456789abcd');
const fixed = (requests: number, windowMs: number, more: Partial<FakeRateLimit> = {}): FakeRateLimit => ({
  requests,
  windowMs,
  shape: 'fixed-window',
  ...more,
});

describe('the fake limiter in fixed-window mode counts calls per window aligned to the clock', () => {
  it('GIVEN 3 per 1-s window THEN a key gets 3 calls, the 4th is refused until the boundary, and the count resets there', () => {
    const l = createFakeRateLimiter(fixed(3, 1000));
    const at = MINUTE + 200;
    const seen = [0, 1, 2, 3].map((i) => l.admit(KEY, 1, at + i * 100));
    expect(seen.map((a) => a.ok)).toEqual([true, true, true, false]);
    expect(seen.map((a) => a.state.requests)).toEqual([
      { limit: 3, remaining: 2, resetMs: 800 },
      { limit: 3, remaining: 1, resetMs: 700 },
      { limit: 3, remaining: 0, resetMs: 600 },
      { limit: 3, remaining: 0, resetMs: 500 },
    ]);
    expect(seen[3]!.retryAfterMs).toBe(500);
    expect(l.admit(KEY, 1, MINUTE + 999)).toMatchObject({ ok: false, retryAfterMs: 1 });
    const next = l.admit(KEY, 1, MINUTE + 1000);
    expect(next).toMatchObject({ ok: true, retryAfterMs: 0, state: { requests: { limit: 3, remaining: 2, resetMs: 1000 } } });
    expect(l.refusals()).toEqual({ total: 2, afterFirstAnswer: 2 });
  });

  it('GIVEN a window left idle THEN nothing carries over: the next window holds the limit, not more', () => {
    const l = createFakeRateLimiter(fixed(2, 1000));
    expect(l.admit(KEY, 1, MINUTE + 10).ok).toBe(true);
    const later = [0, 1, 2].map((i) => l.admit(KEY, 1, MINUTE + 5000 + i));
    expect(later.map((a) => a.ok)).toEqual([true, true, false]);
  });

  it('GIVEN two keys THEN each has its own count', () => {
    const l = createFakeRateLimiter(fixed(1, 60_000));
    expect(l.admit(KEY, 1, MINUTE + 30_000).ok).toBe(true);
    expect(l.admit(KEY, 1, MINUTE + 30_001)).toMatchObject({ ok: false, retryAfterMs: 29_999 });
    expect(l.admit(OTHER, 1, MINUTE + 30_002).ok).toBe(true);
  });

  it('GIVEN a requests capacity THEN a fixed window ignores it: the limit is `requests`', () => {
    const l = createFakeRateLimiter(fixed(2, 1000, { requestsCapacity: 10 }));
    expect([0, 1, 2].map((i) => l.admit(KEY, 1, MINUTE + i).ok)).toEqual([true, true, false]);
  });

  it('GIVEN token limits THEN they count in the same fixed windows, and the refusal waits for the boundary', () => {
    const l = createFakeRateLimiter(fixed(100, 1000, { inputTokens: 50 }));
    expect(l.admit(KEY, 40, MINUTE + 100).state.inputTokens).toEqual({ limit: 50, remaining: 10, resetMs: 900 });
    expect(l.admit(KEY, 40, MINUTE + 300)).toMatchObject({ ok: false, retryAfterMs: 700 });
    expect(l.admit(KEY, 40, MINUTE + 1000).ok).toBe(true);
  });

  it('GIVEN no shape THEN it is still a bucket refilling continuously, capacity first', () => {
    const l = createFakeRateLimiter({ requests: 1, requestsCapacity: 2, windowMs: 1000 });
    expect([0, 1, 2].map((i) => l.admit(KEY, 1, MINUTE + i).ok)).toEqual([true, true, false]);
    expect(l.admit(KEY, 1, MINUTE + 999).ok).toBe(false);
    expect(l.admit(KEY, 1, MINUTE + 1002).ok).toBe(true);
  });
});

describe('the headers each vendor sends for a fixed window', () => {
  const l = createFakeRateLimiter(fixed(10, 60_000));
  const first = l.admit(KEY, 1, MINUTE + 15_000).state;

  it('Anthropic: limit, what is left this window, and the boundary as RFC 3339', () => {
    expect(anthropicWire.limitHeaders(first, MINUTE + 15_000)).toMatchObject({
      'anthropic-ratelimit-requests-limit': '10',
      'anthropic-ratelimit-requests-remaining': '9',
      'anthropic-ratelimit-requests-reset': '2026-12-01T14:01:00Z',
    });
  });

  it('OpenAI: limit, what is left, and the time to the boundary as a duration', () => {
    expect(openaiWire.limitHeaders(first, MINUTE + 15_000)).toMatchObject({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '9',
      'x-ratelimit-reset-requests': '45s',
    });
  });

  it('Gemini: none', () => {
    expect(googleWire.limitHeaders(first, MINUTE + 15_000)).toEqual({});
  });
});

let fake: FakeVendor | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Two calls on one key against 1 per fixed minute, 15 s into the minute on the fake's clock; the second's reply. */
async function refusedSecond(vendor: 'anthropic' | 'openai' | 'google'): Promise<Response> {
  fake = await startFakeVendor({ vendor, rateLimit: fixed(1, 60_000), now: () => MINUTE + 15_400 });
  const call = (): Promise<Response> => {
    if (vendor === 'google') {
      const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
      return fetch(`${fake!.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    }
    const [path, model] = vendor === 'anthropic' ? ['/v1/messages', 'claude-haiku-4-5'] : ['/chat/completions', 'gpt-4o-mini'];
    const body = { model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    return fetch(`${fake!.url}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };
  expect((await call()).status).toBe(200);
  return call();
}

describe("a call refused by a fixed window gets the vendor's 429 with a retry hint to the window's end", () => {
  it('Anthropic: retry-after in whole seconds up to the boundary, remaining 0', async () => {
    const r = await refusedSecond('anthropic');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('45');
    expect(r.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(fake!.rateLimited()).toEqual({ total: 1, afterFirstAnswer: 1 });
  });

  it('OpenAI: retry-after in whole seconds, the reset duration to the boundary', async () => {
    const r = await refusedSecond('openai');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('45');
    expect(r.headers.get('x-ratelimit-reset-requests')).toBe('44.6s');
  });

  it('Gemini: RetryInfo in whole seconds up to the boundary', async () => {
    const r = await refusedSecond('google');
    expect(r.status).toBe(429);
    const body = (await r.json()) as { error: { details: { '@type': string; retryDelay?: string }[] } };
    expect(body.error.details.find((d) => d['@type'].endsWith('RetryInfo'))?.retryDelay).toBe('45s');
  });
});
