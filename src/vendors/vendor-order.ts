import type { Cooldowns } from './cooldown.ts';
import type { ModelRef } from '../types.ts';
import type { Demand, Pacer } from './pacer.ts';

/** What ordering a lane's vendors depends on. */
export interface OrderContext {
  workspaceId: string;
  pinned: boolean;
  demand: Demand;
  pacer: Pacer;
  cooldowns: Cooldowns;
  maxInlineWaitMs: number;
}

/**
 * One pass's vendors in the order to try: healthy first, then the shortest wait and the most
 * headroom. When every lane would make the job wait past the inline limit, only the soonest is
 * tried, and it waits for its turn (up to the job's deadline) instead of bouncing between lanes.
 */
export function planPass(pool: readonly ModelRef[], c: OrderContext): ModelRef[] {
  if (c.pinned || pool.length < 2) return [...pool];
  const order = orderByHeadroom(pool, c);
  const waits = order.map((r) => c.pacer.expectedWaitMs(c.workspaceId, r.vendor, c.demand));
  return waits.every((w) => w > c.maxInlineWaitMs) ? [order[0]!] : order;
}

function orderByHeadroom(pool: readonly ModelRef[], c: OrderContext): ModelRef[] {
  const scored = pool.map((ref, i) => {
    const cooling = c.cooldowns.remaining(c.workspaceId, ref.vendor);
    return { ref, i, cooling, wait: c.pacer.expectedWaitMs(c.workspaceId, ref.vendor, c.demand), room: c.pacer.headroom(c.workspaceId, ref.vendor, c.demand) };
  });
  scored.sort((a, b) => (a.cooling > 0 ? 1 : 0) - (b.cooling > 0 ? 1 : 0) || a.wait - b.wait || b.room - a.room || a.i - b.i);
  return scored.map((s) => s.ref);
}
