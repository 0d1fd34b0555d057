import { afterEach, describe, expect, it } from 'vitest';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { createScaledClock } from '../helpers/scaled-clock.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * Virtual time runs 100× faster: a 7 s retry-after passes in 70 ms, while a loaded machine's few
 * milliseconds between calls stay well inside the job's 15 s failure budget.
 */
const SCALE = 100;

const ok = (text = 'forty-two'): FakeBehaviour => ({ text, usage: { input: 100, output: 20 } });

/** Fails the first `n` generate calls with `fail`, then answers. */
function failFirst(n: number, fail: FakeBehaviour) {
  let seen = 0;
  return (req: FakeRequest): FakeBehaviour => (req.model && seen++ < n ? fail : ok('from anthropic'));
}

const generates = (h: Harness, v: 'anthropic' | 'openai') => h.vendors[v]!.requests.filter((r) => r.model).length;

describe('fault matrix: one vendor misbehaves, the router copes', () => {
  it('GIVEN a 429 with retry-after and no other vendor THEN it waits at least that long and retries', async () => {
    const clock = createScaledClock(SCALE);
    h = await startHarness({ vendors: { anthropic: failFirst(1, { status: 429, retryAfterMs: 7000 }) }, clock });
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from anthropic');
    expect(generates(h, 'anthropic')).toBe(2);
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(7000);
  });

  it('GIVEN a long retry-after and another vendor in the lane THEN it fails over instead of waiting', async () => {
    h = await startHarness({
      vendors: { anthropic: failFirst(1, { status: 429, retryAfterMs: 30_000 }), openai: () => ok('from openai') },
      equalLimits: true,
      clock: createScaledClock(SCALE),
    });
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from openai');
    expect(r.footer).toMatch(/via openai \(anthropic rate-limited\)/);
  });

  it('GIVEN a 429 without retry-after and another vendor with room THEN the other vendor answers at once and the footer says so', async () => {
    h = await startHarness({
      vendors: { anthropic: failFirst(1, { status: 429 }), openai: () => ok('from openai') },
      equalLimits: true,
      clock: createScaledClock(SCALE),
    });
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from openai');
    expect(r.footer).toMatch(/via openai \(anthropic rate-limited\)/);
    expect(generates(h, 'anthropic')).toBe(1);
  });

  it.each([
    ['500 once', { status: 500 }],
    ['a cut stream', { cutAfterChunks: 1, text: 'a partial answer that must never be shown' }],
    ['a malformed chunk', { malformedChunk: true, text: 'garbled' }],
  ] as [string, FakeBehaviour][])('GIVEN %s THEN it retries the same vendor and answers in full', async (_name, fail) => {
    h = await startHarness({ vendors: { anthropic: failFirst(1, fail), openai: () => ok('from openai') }, equalLimits: true, clock: createScaledClock(SCALE) });
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from anthropic');
    expect(generates(h, 'anthropic')).toBe(2);
    expect(generates(h, 'openai')).toBe(0);
  });

  it('GIVEN a vendor that hangs once THEN the call times out and is retried', async () => {
    h = await startHarness({ vendors: { anthropic: failFirst(1, { hang: true }) }, env: { HIVE_VENDOR_TIMEOUT_MS: '200' }, clock: createScaledClock(SCALE) });
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from anthropic');
    const id = /evidence (\w+)/.exec(r.footer!)![1]!;
    const ev = await h.hive.evidence.get(id, 'local');
    expect(ev?.calls.map((c) => c.error?.kind ?? 'ok')).toEqual(['timeout', 'ok']);
  });

  it('GIVEN 529 overloaded THEN it fails over at once and the footer says so', async () => {
    h = await startHarness({
      vendors: { anthropic: failFirst(99, { status: 529 }), openai: () => ok('from openai') },
      equalLimits: true,
      clock: createScaledClock(SCALE),
    });
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from openai');
    expect(r.footer).toMatch(/via openai \(anthropic overloaded\)/);
    expect(generates(h, 'anthropic')).toBe(1);
  });

  it.each([
    ['401', { status: 401 }, 'auth'],
    ['insufficient_quota', { status: 429, errorType: 'insufficient_quota' }, 'quota'],
  ] as [string, FakeBehaviour, string][])('GIVEN OpenAI %s THEN no retry, the key is marked unhealthy and another vendor answers', async (_n, fail, kind) => {
    h = await startHarness({
      vendors: { openai: (req) => (req.model ? fail : {}), anthropic: () => ok('from anthropic') },
      equalLimits: true,
      clock: createScaledClock(SCALE),
    });
    await h.run('/hive lanes set cheap openai:gpt-6-luna,anthropic:claude-haiku-4-5');
    const r = await h.run('/ask --cheap what is 6x7');
    expect(r.text).toBe('from anthropic');
    expect(generates(h, 'openai')).toBe(1);
    const keys = await h.hive.keys.list('local');
    expect(keys.find((k) => k.vendor === 'openai')).toMatchObject({ health: 'unhealthy', healthReason: expect.stringContaining(kind) });
    const again = await h.run('/ask --cheap and 7x8');
    expect(again.text).toBe('from anthropic');
    expect(generates(h, 'openai')).toBe(1);
  });

  it('GIVEN the only key is rejected THEN the answer says which key failed and how to fix it', async () => {
    h = await startHarness({ vendors: { openai: (req) => (req.model ? { status: 401 } : {}) }, clock: createScaledClock(SCALE) });
    const r = await h.run('/ask --model openai:gpt-6-luna hi');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/The OpenAI key ••••ghij failed \(auth: .*\)[\s\S]*platform\.openai\.com\/api-keys[\s\S]*\/hive keys/);
    expect(r.text).not.toContain('sk-canary');
  });

  it('GIVEN one vendor returning 503 for everything THEN every job is answered by another vendor and the footer says so', async () => {
    h = await startHarness({
      vendors: { anthropic: () => ({ status: 503 }), openai: () => ok('from openai'), google: () => ok('from google') },
      equalLimits: true,
      clock: createScaledClock(SCALE),
    });
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => h!.run(`/ask --cheap question ${i}`)));
    for (const r of replies) {
      expect(r.tone).not.toBe('error');
      expect(['from openai', 'from google']).toContain(r.text);
    }
    expect(replies.filter((r) => /via (openai|google) \(anthropic overloaded\)/.test(r.footer ?? '')).length).toBeGreaterThan(0);
  });
});
