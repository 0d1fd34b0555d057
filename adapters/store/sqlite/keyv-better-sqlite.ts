import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { TABLE } from './keyed-sqlite.ts';

/** Entries the iterator reads per query: memory stays bounded however large a namespace grows. */
export const ITERATOR_PAGE = 200;

/** Above every valid UTF-8 key: the upper bound of an iteration without a namespace. */
const TOP = '\u{10FFFF}';

type Row = { key: string; value: string };

/**
 * Keyv storage adapter over a shared better-sqlite3 connection. Keys arrive prefixed `namespace:key`
 * and values serialized by Keyv (JSON with `expires`), stored as @keyv/sqlite stored them, plus an
 * indexed `expires` column so expired rows are never returned and are swept by an indexed range.
 */
export class KeyvBetterSqlite extends EventEmitter implements KeyvStoreAdapter {
  /** `dialect` tells Keyv that this adapter iterates. */
  readonly opts: { dialect: 'sqlite'; url: string };
  /** Set by Keyv: scopes `clear()` and the iterator. */
  namespace?: string | undefined;
  private readonly db: Database.Database;
  private readonly sql: ReturnType<typeof prepare>;

  constructor(db: Database.Database, url = `sqlite://${db.name}`) {
    super();
    this.db = db;
    this.opts = { dialect: 'sqlite', url };
    this.sql = prepare(db);
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.sql.get.get(key, Date.now())?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const rows = this.sql.getMany.all(JSON.stringify(keys), Date.now());
    const byKey = new Map(rows.map((r) => [r.key, r.value]));
    return keys.map((k) => byKey.get(k) as StoredData<Value | undefined>);
  }

  async has(key: string): Promise<boolean> {
    return this.sql.has.get(key, Date.now()) !== undefined;
  }

  /** `ttl` in milliseconds, as Keyv passes it; the same moment Keyv wrote into the value's `expires`. */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const expires = typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : null;
    this.sql.set.run(key, text, expires);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.sql.delete.run(key).changes > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return this.sql.deleteMany.run(JSON.stringify(keys)).changes > 0;
  }

  /** Clears this adapter's namespace only (the whole table when it has none). */
  async clear(): Promise<void> {
    const [lo, hi] = range(this.namespace);
    this.sql.clear.run(lo, hi);
  }

  /**
   * Live entries of `namespace` in key order, read a page at a time by keyset (`key > last`), so
   * each page costs the same however deep the walk is and nothing recurses.
   */
  async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const [lo, hi] = range(namespace);
    let page = this.sql.first.all(lo, hi, Date.now(), ITERATOR_PAGE);
    while (page.length > 0) {
      for (const row of page) yield [row.key, row.value];
      if (page.length < ITERATOR_PAGE) return;
      page = this.sql.next.all(page[page.length - 1]!.key, hi, Date.now(), ITERATOR_PAGE);
    }
  }

  /** The connection is shared by every namespace and the claims; the store closes it. */
  async disconnect(): Promise<void> {}
}

/** Keys of `namespace` are exactly those in [`ns:`, `ns;`) (`;` follows `:`) in binary order. */
function range(namespace: string | undefined): [string, string] {
  return namespace ? [`${namespace}:`, `${namespace};`] : ['', TOP];
}

function prepare(db: Database.Database) {
  const live = '(expires IS NULL OR expires > ?)';
  return {
    get: db.prepare<[string, number], { value: string }>(`SELECT value FROM ${TABLE} WHERE key = ? AND ${live}`),
    getMany: db.prepare<[string, number], Row>(`SELECT key, value FROM ${TABLE} WHERE key IN (SELECT value FROM json_each(?)) AND ${live}`),
    has: db.prepare<[string, number]>(`SELECT 1 FROM ${TABLE} WHERE key = ? AND ${live}`),
    set: db.prepare<[string, string, number | null]>(
      `INSERT INTO ${TABLE}(key, value, expires) VALUES(?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
    ),
    delete: db.prepare<[string]>(`DELETE FROM ${TABLE} WHERE key = ?`),
    deleteMany: db.prepare<[string]>(`DELETE FROM ${TABLE} WHERE key IN (SELECT value FROM json_each(?))`),
    clear: db.prepare<[string, string]>(`DELETE FROM ${TABLE} WHERE key >= ? AND key < ?`),
    first: db.prepare<[string, string, number, number], Row>(`SELECT key, value FROM ${TABLE} WHERE key >= ? AND key < ? AND ${live} ORDER BY key LIMIT ?`),
    next: db.prepare<[string, string, number, number], Row>(`SELECT key, value FROM ${TABLE} WHERE key > ? AND key < ? AND ${live} ORDER BY key LIMIT ?`),
  };
}
