import type Keyv from 'keyv';
import type { AtomicOps } from './atomic.ts';

/** One namespace per concern, so a backend can be inspected, cleared or moved per concern. */
export const NAMESPACES = ['meta', 'installations', 'keys', 'settings', 'digest', 'dedupe', 'outbox', 'threads', 'limits', 'gateway', 'routing'] as const;

/** Namespaces only releases before the SQL log store wrote (day documents, evidence); read once by the legacy import. */
export const LEGACY_NAMESPACES = ['ledger', 'evidence', 'evidence-content'] as const;

export type Namespace = (typeof NAMESPACES)[number];
export type LegacyNamespace = (typeof LEGACY_NAMESPACES)[number];

/** Monthly budget counters the keyed store's backend kept before they moved to the log store. */
export interface LegacyCounters {
  /** Every old counter as [key, nano-dollars]; nothing when the backend never had any. */
  entries(): AsyncIterable<[string, number]>;
  clear(): Promise<void>;
}

/** Keyv-backed storage shared by every core service; the backend is chosen by URL. */
export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  ns<T>(name: Namespace | LegacyNamespace): Keyv<T>;
  /** Operations that must be atomic in the backend: dedupe claims. */
  atomic: AtomicOps;
  /** The old release's budget counters, for the one-time legacy import (absent where there never were any). */
  legacyCounters?: LegacyCounters;
  /**
   * Removes expired entries of every namespace and expired claims, in short batches (SQLite and
   * memory expire lazily; Redis expires by itself); returns how many went. Never walks live data.
   */
  sweep(): Promise<number>;
  close(): Promise<void>;
}
