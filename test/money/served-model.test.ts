import { afterEach, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/money/footer.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Asks `asked`; the vendor answers 100,000 tokens in and 10,000 out and names `served` as the model that served it. */
async function askServed(vendor: Vendor, asked: string, served: string) {
  h = await startHarness({ vendors: { [vendor]: () => ({ text: 'forty-two', usage: { input: 100_000, output: 10_000 }, responseModel: served }) } });
  const r = await h.run(`/ask --model ${vendor}:${asked} what is 6x7`);
  const ev = (await h.hive.evidence.get(/evidence (\w{26})/.exec(r.footer!)![1]!, 'local'))!;
  const day = ev.createdAt.slice(0, 10);
  const rows = [];
  for await (const row of h.hive.ledger.rows('local', day, day)) rows.push(row);
  return { r, call: ev.calls[0]!, rows };
}

describe('a call is priced as the model the vendor says served it', () => {
  it.each([
    // vendor, asked, served (as the vendor names it), priced entry, USD: 0.1M in and 0.01M out at its rates
    ['google', 'gemini-3.5-flash-lite', 'gemini-3.8-flash', 'gemini-3.8-flash', 0.1125], // $0.75/$3.75, not $0.30/$2.50 ($0.055)
    ['openai', 'gpt-6.1-terra', 'gpt-6.2-sol-2026-11-17', 'gpt-6.2-sol', 0.3], // $2/$10, not $1/$5 ($0.15)
    ['anthropic', 'claude-sonnet-5-5', 'claude-opus-5-5-20261124', 'claude-opus-5-5', 0.6], // $4/$20, not $2/$10 ($0.30)
  ] as const)(
    'GIVEN %s asked for %s, served by %s THEN it costs what %s costs, in the evidence, ledger and footer',
    async (vendor, asked, served, priced, usd) => {
      const { r, call, rows } = await askServed(vendor, asked, served);
      expect(call).toMatchObject({ model: asked, responseModel: served, pricedAs: priced, costUsd: usd });
      expect(rows).toMatchObject([{ model: priced, costUsd: usd }]);
      expect(r.footer).toMatch(new RegExp(`^${priced.replace(/\./g, '\\.')} \\(asked ${asked.replace(/\./g, '\\.')}\\) · `));
      expect(r.footer).toContain(` · ${formatUsd(usd)} · `);
    },
  );

  it('GIVEN the served model is a dated snapshot of the one asked THEN nothing changes: priced, booked and shown as asked', async () => {
    const { r, call, rows } = await askServed('openai', 'gpt-6.2-sol', 'gpt-6.2-sol-2026-11-17');
    expect(call).toMatchObject({ model: 'gpt-6.2-sol', responseModel: 'gpt-6.2-sol-2026-11-17', costUsd: 0.3 });
    expect(call.pricedAs).toBeUndefined();
    expect(rows).toMatchObject([{ model: 'gpt-6.2-sol', costUsd: 0.3 }]);
    expect(r.footer).toMatch(/^gpt-6\.2-sol · /);
  });

  it('GIVEN the served model has no price THEN the call is priced as the model asked for, and the evidence keeps what served it', async () => {
    const { r, call, rows } = await askServed('google', 'gemini-3.5-flash-lite', 'gemini-9-experimental');
    // $0.30/$2.50: 0.03 + 0.025.
    expect(call).toMatchObject({ model: 'gemini-3.5-flash-lite', responseModel: 'gemini-9-experimental', costUsd: 0.055 });
    expect(call.pricedAs).toBeUndefined();
    expect(rows).toMatchObject([{ model: 'gemini-3.5-flash-lite', costUsd: 0.055 }]);
    expect(r.footer).toContain(` · ${formatUsd(0.055)} · `);
  });
});
