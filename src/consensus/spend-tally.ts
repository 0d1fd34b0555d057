import type { SpendGate } from '../money/spend-gate.ts';

/** A spend gate that also adds up what its calls settled. */
export interface SpendTally {
  gate: SpendGate;
  /** USD settled so far; `undefined` once any call had no known price. */
  costUsd(): number | undefined;
}

/**
 * Wraps the budget gate so a member's cost is known even when it is cancelled mid-retry, where
 * the executor rethrows the abort without its call records: every call settles through the gate.
 */
export function createSpendTally(inner: SpendGate): SpendTally {
  let usd = 0;
  let unknown = false;
  return {
    gate: {
      async reserve(ref, req, fileTokens) {
        const hold = await inner.reserve(ref, req, fileTokens);
        return {
          start: (granted) => hold.start(granted),
          async settle(call) {
            if (call.costUsd === null) unknown = true;
            else usd += call.costUsd;
            await hold.settle(call);
          },
          release: () => hold.release(),
        };
      },
    },
    costUsd: () => (unknown ? undefined : Math.round(usd * 1e10) / 1e10),
  };
}
