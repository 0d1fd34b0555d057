import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { withStatementCache } from '../../adapters/store/sqlite/statement-cache.ts';

describe('prepared statements reused by the SQLite log store', () => {
  it('GIVEN the same SQL twice THEN it is prepared once; a statement still iterating is not handed out again', () => {
    const raw = new Database(':memory:');
    raw.exec('create table t (n integer)');
    raw.exec('insert into t values (1), (2), (3)');
    const prepare = vi.spyOn(raw, 'prepare');
    const db = withStatementCache(raw);
    const select = 'select n from t order by n';
    expect(db.prepare(select).all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(db.prepare(select).all([])).toHaveLength(3);
    expect(prepare).toHaveBeenCalledTimes(1);
    const rows = db.prepare(select).iterate([]);
    rows.next();
    // The cached statement is busy iterating: a second user gets its own, and both finish correctly.
    expect(db.prepare(select).all([])).toHaveLength(3);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(prepare).toHaveBeenCalledTimes(2);
    db.close();
  });

  it('GIVEN more distinct statements than it keeps THEN the least recently used are dropped and prepared again', () => {
    const raw = new Database(':memory:');
    const prepare = vi.spyOn(raw, 'prepare');
    const db = withStatementCache(raw);
    for (let i = 0; i < 201; i++) db.prepare(`select ${i}`);
    db.prepare('select 200');
    expect(prepare).toHaveBeenCalledTimes(201);
    db.prepare('select 0');
    expect(prepare).toHaveBeenCalledTimes(202);
    db.close();
  });
});
