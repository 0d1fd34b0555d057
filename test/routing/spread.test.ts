import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const limited = (v: Vendor) => ({
  rateLimit: { requests: 4, windowMs: 200 },
  respond: () => ({ text: `ok from ${v}`, latencyMs: 5, usage: { input: 30, output: 5 } }),
});

async function pipeBurst(h: Harness, n: number): Promise<string> {
  let out = '';
  const output = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
  const lines = Array.from({ length: n }, (_, i) => `/ask --cheap question ${i}`).join('\n');
  await createTerminalAdapter({ input: Readable.from([lines]), output, dispatcher: h.hive.dispatcher }).run();
  return out;
}

describe('vendors are parallel lanes', () => {
  it('GIVEN three rate-limited keys and known limits THEN a burst of 60 cheap jobs spreads evenly, each answered once, with no 429', async () => {
    h = await startHarness({ vendors: { anthropic: limited('anthropic'), google: limited('google'), openai: limited('openai') } });
    // A 200 ms refill window (the fakes' own) is a test knob, not a chat setting: set it on the settings directly.
    const vendors = ['anthropic', 'google', 'openai'] as const;
    const fast = { rpm: 4, periodMs: 200, concurrency: 50, itpm: 1_000_000_000, otpm: 1_000_000_000, tpm: 1_000_000_000 };
    await h.hive.ctx.settings.update('local', (s) => void (s.vendorLimits = Object.fromEntries(vendors.map((v) => [v, fast]))));
    for (const v of vendors) h.hive.ctx.pacer.reconfigure('local', v);
    const out = await pipeBurst(h, 60);
    for (let i = 1; i <= 60; i++) expect(out.match(new RegExp(`^\\[${i}\\] > question ${i - 1}$`, 'gm'))).toHaveLength(1);
    expect(out).not.toMatch(/^! /m);
    const served = (['anthropic', 'google', 'openai'] as const).map((v) => h!.vendors[v]!.requests.filter((r) => r.model).length);
    // No 429 from any vendor: the known limits were kept. Each job goes to whichever lane has room
    // first, so the split is even give or take the timing of a refill on a loaded machine.
    for (const v of vendors) expect(h.vendors[v]!.rateLimited().total).toBe(0);
    for (const n of served) expect(Math.abs(n - 20)).toBeLessThanOrEqual(3);
  });
});
