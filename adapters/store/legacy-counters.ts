import type { LegacyCounters, Store } from '../../src/store/store.ts';
import { createSqliteLegacyCounters } from './sqlite/legacy-counters.ts';

/**
 * The old budget counters of the backend `url` names. SQLite's are read at once, before the keyed
 * store opens the file; Redis's only when the legacy import asks, on a connection of their own.
 */
export function openLegacyCounters(kind: Store['kind'], url: string, deadlineMs: number): LegacyCounters | undefined {
  if (kind === 'memory') return undefined;
  if (kind === 'sqlite') return createSqliteLegacyCounters(url.replace(/^sqlite:\/\//, ''));
  const redis = async () => (await import('./redis/legacy-counters.ts')).createRedisLegacyCounters(url, deadlineMs);
  return {
    async *entries() {
      yield* (await redis()).entries();
    },
    clear: async () => (await redis()).clear(),
  };
}
