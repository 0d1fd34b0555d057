import type { LegacyCounters, Store } from '../../src/store/store.ts';

/** The old budget counters of the backend `url` names: loaded only when the legacy import reads them. */
export function openLegacyCounters(kind: Store['kind'], url: string, deadlineMs: number): LegacyCounters | undefined {
  if (kind === 'memory') return undefined;
  const load = async () =>
    kind === 'sqlite'
      ? (await import('./sqlite/legacy-counters.ts')).createSqliteLegacyCounters(url.replace(/^sqlite:\/\//, ''))
      : (await import('./redis/legacy-counters.ts')).createRedisLegacyCounters(url, deadlineMs);
  return {
    async *entries() {
      yield* (await load()).entries();
    },
    clear: async () => (await load()).clear(),
  };
}
