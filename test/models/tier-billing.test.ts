import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A clock frozen at one instant: the call starts exactly then, however slow the machine is. */
const frozenAt = (iso: string): Clock => ({ now: () => Date.parse(iso), sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 5), signal) });

/** Runs one /ask on a pinned model whose fake reports this usage; returns the billed cost of its one call. */
async function billed(vendor: Vendor, model: string, input: number, output: number, clock?: Clock): Promise<{ usd: number | null; footer: string }> {
  h = await startHarness({ vendors: { [vendor]: () => ({ text: 'ok', usage: { input, output } }) }, ...(clock ? { clock } : {}) });
  const r = await h.run(`/ask --yes --model ${vendor}:${model} what is the rate?`);
  expect(r.tone, r.text).not.toBe('error');
  const id = /evidence (\w{26})/.exec(r.footer ?? '')![1]!;
  const record = await h.hive.evidence.get(id, 'local');
  expect(record!.calls).toHaveLength(1);
  const usd = record!.calls[0]!.costUsd;
  await h.close();
  h = undefined;
  return { usd, footer: r.footer ?? '' };
}

/** USD of a whole number of nano-dollars, the unit the books keep: tokens × rate in n$/token ($/1M × 1000). */
const nano = (n: number) => n / 1e9;

describe('golden bills at each prompt-size tier boundary, through the real SDKs', () => {
  it('Claude Haiku 5.5: 100,000 prompt tokens at $0.10/$0.50, 100,001 at $0.50/$2.50 on every token', async () => {
    expect((await billed('anthropic', 'claude-haiku-5-5', 100_000, 1_000)).usd).toBe(nano(100_000 * 100 + 1_000 * 500));
    expect((await billed('anthropic', 'claude-haiku-5-5', 100_001, 1_000)).usd).toBe(nano(100_001 * 500 + 1_000 * 2_500));
  });

  it('GPT-6.2 Sol: 272,000 prompt tokens at $2/$10, 272,001 at 2× input and 1.5× output', async () => {
    expect((await billed('openai', 'gpt-6.2-sol', 272_000, 1_000)).usd).toBe(nano(272_000 * 2_000 + 1_000 * 10_000));
    expect((await billed('openai', 'gpt-6.2-sol', 272_001, 1_000)).usd).toBe(nano(272_001 * 4_000 + 1_000 * 15_000));
  });

  it('Gemini 3.1 Pro: 200,000 prompt tokens at $2/$12, 200,001 at $4/$18', async () => {
    expect((await billed('google', 'gemini-3.1-pro-preview', 200_000, 1_000)).usd).toBe(nano(200_000 * 2_000 + 1_000 * 12_000));
    expect((await billed('google', 'gemini-3.1-pro-preview', 200_001, 1_000)).usd).toBe(nano(200_001 * 4_000 + 1_000 * 18_000));
  });
});

describe('a call is billed at the rate in force when it starts', () => {
  it('Gemini 3.8 Flash: the promotional $0.75/$3.75 until 2026-12-31T23:59:59Z, $1.50/$7.50 from 2027-01-01T00:00:00Z', async () => {
    const before = await billed('google', 'gemini-3.8-flash', 10_000, 2_000, frozenAt('2026-12-31T23:59:59Z'));
    expect(before.usd).toBe(nano(10_000 * 750 + 2_000 * 3_750));
    const after = await billed('google', 'gemini-3.8-flash', 10_000, 2_000, frozenAt('2027-01-01T00:00:00Z'));
    expect(after.usd).toBe(nano(10_000 * 1_500 + 2_000 * 7_500));
  });
});
