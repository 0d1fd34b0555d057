import { afterEach, describe, expect, it } from 'vitest';
import { priceAt } from '../../src/models/price-catalogue.ts';
import { DEFAULT_LANES } from '../../src/models/default-lanes.ts';
import { LANES, formatModelRef } from '../../src/shared/types.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ENTRIES = LANES.flatMap((lane) => DEFAULT_LANES[lane].map((ref) => [lane, formatModelRef(ref), ref] as const));
/** n$ per token of a rate in USD per 1M tokens: the table only holds whole ones. */
const perToken = (usdPerMillion: number) => Math.round(usdPerMillion * 1000);

describe('every default lane model answers /ask through its real SDK, billed exactly', () => {
  it.each(ENTRIES)('%s lane: %s', async (_lane, name, ref) => {
    const info = builtInPrices.find(ref.vendor, ref.model);
    const price = info && priceAt(info, new Date());
    expect(price, `${name} is priced now`).toBeDefined();
    h = await startHarness({ vendors: { [ref.vendor]: () => ({ text: 'ok', usage: { input: 2_000, output: 300 } }) } });
    const r = await h.run(`/ask --yes --model ${name} hello there`);
    expect(r.tone, r.text).not.toBe('error');
    expect(r.footer).toMatch(new RegExp(`^${ref.model.replace(/[.@]/g, '\\$&')} · `));
    const sent = h.vendors[ref.vendor]!.requests.filter((q) => q.model !== '');
    expect(sent.map((q) => q.model)).toEqual([ref.model.replace(/@.*$/, '')]);
    const record = await h.hive.evidence.get(/evidence (\w{26})/.exec(r.footer!)![1]!, 'local');
    expect(record!.calls[0]!.costUsd).toBe((2_000 * perToken(price!.input) + 300 * perToken(price!.output)) / 1e9);
  });
});
