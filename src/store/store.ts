import type Keyv from 'keyv';
import type { AtomicOps } from './atomic.ts';

/** One namespace per concern, so a backend can be inspected, cleared or moved per concern. */
export const NAMESPACES = ['meta', 'installations', 'keys', 'settings', 'digest', 'dedupe', 'outbox', 'threads', 'limits'] as const;

export type Namespace = (typeof NAMESPACES)[number];

/** Keyv-backed storage shared by every core service; the backend is chosen by URL. */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  ns<T>(name: Namespace): Keyv<T>;
  /** Operations that must be atomic in the backend: dedupe claims. */
  atomic: AtomicOps;
  /** Removes expired entries of the given namespaces (SQLite and memory expire lazily). */
  sweep(names: readonly Namespace[]): Promise<void>;
  close(): Promise<void>;
}
