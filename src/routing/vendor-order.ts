import type { Cooldowns } from './cooldown.ts';
import type { ModelRef } from '../shared/types.ts';
import type { Demand, Pacer } from '../pacing/pacer.ts';

/** What ordering a lane's vendors depends on. */
export interface OrderContext {
  workspaceId: string;
  pinned: boolean;
  demand: Demand;
  pacer: Pacer;
  cooldowns: Cooldowns;
}

/**
 * A job's vendors in order of preference: healthy first, then the shortest wait and the most
 * headroom, then the lane's own order. The job waits in all of them at once; this order decides
 * which takes it when several have room at the same moment. A pinned job keeps its order.
 */
export function planPass(pool: readonly ModelRef[], c: OrderContext): ModelRef[] {
  if (c.pinned || pool.length < 2) return [...pool];
  const scored = pool.map((ref, i) => {
    const cooling = c.cooldowns.remaining(c.workspaceId, ref.vendor);
    return { ref, i, cooling, wait: c.pacer.expectedWaitMs(c.workspaceId, ref, c.demand), room: c.pacer.headroom(c.workspaceId, ref, c.demand) };
  });
  scored.sort((a, b) => (a.cooling > 0 ? 1 : 0) - (b.cooling > 0 ? 1 : 0) || a.wait - b.wait || b.room - a.room || a.i - b.i);
  return scored.map((s) => s.ref);
}
