import type { ModelInfo, Price, TokenRates } from './price-schema.ts';

/** Milliseconds of a table instant: a bare date is midnight UTC. */
function instantMs(s: string): number {
  return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
}

/** Whether a period's rates were in force at `at` (from inclusive, until exclusive). */
export function inForce(p: Pick<Price, 'from' | 'until'>, at: Date): boolean {
  const t = at.getTime();
  return (p.from === undefined || instantMs(p.from) <= t) && (p.until === undefined || t < instantMs(p.until));
}

/**
 * The price in force at `at` (a call is billed at the rate of its start time); undefined when the
 * model has no price for that moment, which shows as "cost unknown".
 */
export function priceAt(model: Pick<ModelInfo, 'prices'>, at: Date): Price | undefined {
  return model.prices.find((p) => inForce(p, at));
}

/** The next period to start after `at`, so menus can announce a dated change. */
export function nextPrice(model: Pick<ModelInfo, 'prices'>, at: Date): Price | undefined {
  const t = at.getTime();
  return model.prices.filter((p) => p.from !== undefined && instantMs(p.from) > t).sort((a, b) => instantMs(a.from!) - instantMs(b.from!))[0];
}

/** The tier a prompt of `promptTokens` (cache reads and writes included) is billed at: above the threshold, every token. */
export function tierRates(price: Price, promptTokens: number): { rates: TokenRates; long: boolean } {
  const long = price.longContext !== undefined && promptTokens > price.longContext.aboveInputTokens;
  return { rates: long && price.longContext ? price.longContext : price, long };
}
