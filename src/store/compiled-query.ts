import type { CompiledQuery, Kysely } from 'kysely';

const MARK = '\u0000hive-param:';

/** A named parameter of a query template: a placeholder value while the template compiles. */
export function param<T>(name: string): T {
  return `${MARK}${name}` as T;
}

/** A query compiled once per database and run with fresh parameters each time. */
export interface QueryTemplate<DB, A extends Record<string, unknown>> {
  /** Runs on `db` (or a transaction of it); the SQL is the one the database's own dialect compiled. */
  run(db: Kysely<DB>, args: A): Promise<{ rows: unknown[]; numAffectedRows?: bigint }>;
}

/**
 * Builds a query with `param()` placeholders, compiles it once (per database, so each dialect
 * gets its own SQL and placeholder style) and afterwards only substitutes the parameters: the
 * hot path pays for neither the query builder nor the compiler.
 */
export function queryTemplate<DB, A extends Record<string, unknown>>(build: (db: Kysely<DB>) => { compile(): CompiledQuery }): QueryTemplate<DB, A> {
  // Keyed by the dialect adapter, which a database shares with its transactions.
  const compiled = new WeakMap<object, { query: CompiledQuery; names: (string | undefined)[] }>();
  const templateOf = (db: Kysely<DB>) => {
    const key = db.getExecutor().adapter;
    let t = compiled.get(key);
    if (!t) {
      const query = build(db).compile();
      const names = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : undefined));
      t = { query, names };
      compiled.set(key, t);
    }
    return t;
  };
  return {
    async run(db, args) {
      const { query, names } = templateOf(db);
      const parameters = names.map((n, i) => (n === undefined ? query.parameters[i] : args[n]));
      const r = await db.executeQuery({ ...query, parameters });
      return { rows: r.rows, ...(r.numAffectedRows !== undefined ? { numAffectedRows: r.numAffectedRows } : {}) };
    },
  };
}
