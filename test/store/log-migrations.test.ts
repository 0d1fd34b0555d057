import { describe, expect, it } from 'vitest';
import { logMigrations } from '../../src/store/log-migrations.ts';
import { BOOKS_MIGRATIONS } from '../../src/store/log-migrations-books.ts';
import { DURABILITY_MIGRATIONS } from '../../src/store/log-migrations-durability.ts';
import { SCALE_OUT_MIGRATIONS } from '../../src/store/log-migrations-scale-out.ts';
import { ACTION_MIGRATIONS } from '../../src/store/log-migrations-actions.ts';
import { LANE_MIGRATIONS } from '../../src/store/log-migrations-lanes.ts';

describe('the log store migrations', () => {
  it('GIVEN the eras THEN the list holds each era’s migrations once, in name order, each era after the one before', async () => {
    const eras = [BOOKS_MIGRATIONS, SCALE_OUT_MIGRATIONS, DURABILITY_MIGRATIONS, ACTION_MIGRATIONS, LANE_MIGRATIONS].map((e) => Object.keys(e));
    const names = Object.keys(await logMigrations.getMigrations());
    expect(names).toEqual(eras.flat());
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names.map((n) => Number(n.slice(0, 4)))).toEqual(names.map((_, i) => i + 1));
  });
});
