import type Keyv from 'keyv';
import type { AtomicOps } from './atomic.ts';

/** One namespace per concern, so a backend can be inspected, cleared or moved per concern. */
export const NAMESPACES = ['meta', 'installations', 'keys', 'settings', 'digest', 'dedupe', 'outbox', 'threads'] as const;

export type Namespace = (typeof NAMESPACES)[number];

/** Keyv-backed storage shared by every core service; the backend is chosen by URL. */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  ns<T>(name: Namespace): Keyv<T>;
  /** Operations that must be atomic in the backend: dedupe claims. */
  atomic: AtomicOps;
  /**
   * Removes expired entries of every namespace and expired claims, in short batches (SQLite and
   * memory expire lazily; Redis expires by itself); returns how many went. Never walks live data.
   */
  sweep(): Promise<number>;
  close(): Promise<void>;
}
