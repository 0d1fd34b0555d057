import type { CallRecord } from '../evidence/evidence-store.ts';
import type { Usage } from '../shared/provider-spec.ts';
import { ZERO_USAGE } from '../shared/provider-spec.ts';

/** The numeric counts of a usage (not where inference ran or at which tier). */
type TokenCount = Exclude<keyof Usage, 'inferenceGeo' | 'serviceTier'>;

/** Adds the usage of every call, failed ones included (they may have been billed). */
export function sumUsage(calls: readonly CallRecord[]): Usage {
  const total = { ...ZERO_USAGE };
  for (const c of calls) {
    if (!c.usage) continue;
    for (const k of Object.keys(total) as TokenCount[]) total[k] += c.usage[k];
  }
  return total;
}

/** Total USD of the calls, or `undefined` when any billed call has no known price. */
export function totalCost(calls: readonly CallRecord[]): number | undefined {
  let usd = 0;
  for (const c of calls) {
    if (c.costUsd === null) return undefined;
    usd += c.costUsd;
  }
  return usd;
}
