import type { Sealed } from '../keys/crypto.ts';
import type { Store } from '../store/store.ts';

/**
 * The fingerprint of the master key that sealed stored secrets, for data older than the marker:
 * read by the store's paged iterator and stopping at the first sealed value, since one is all the
 * check compares (the marker is written then, so later starts read nothing).
 */
export async function sealedKids(store: Store): Promise<Set<string>> {
  for (const name of ['keys', 'installations'] as const) {
    const ns = store.ns<{ sealed?: Sealed }>(name);
    if (!ns.iterator) continue;
    for await (const [, value] of ns.iterator(undefined)) if (value?.sealed?.kid) return new Set([value.sealed.kid]);
  }
  return new Set();
}
