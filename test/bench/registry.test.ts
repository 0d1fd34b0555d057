import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHES, select } from '../../bench/registry.ts';

const benchDir = path.resolve(import.meta.dirname, '../../bench');
/** Modules that are not benchmarks: the runner, the registry, shared helpers and child-process entries. */
const NOT_BENCHES = new Set([
  'run.ts',
  'registry.ts',
  'types.ts',
  'stats.ts',
  'processes.ts',
  'hive-process.ts',
  'large-store.ts',
  'overhead-rounds.ts',
  'fake-vendor-process.ts',
  'scale-out-stack.ts',
  'scale-out-throughput.ts',
  'scale-out-latency.ts',
  'routing-data.ts',
  'lanes-shapes.ts',
]);

describe('the benchmark registry (no timing: benchmarks are run by npm run bench, never by the tests)', () => {
  it('GIVEN every module in bench/ WHEN loaded THEN each exported bench function is registered under a unique name', async () => {
    const registered = new Set(BENCHES.map((b) => b.run));
    const files = fs.readdirSync(benchDir).filter((f) => f.endsWith('.ts') && !NOT_BENCHES.has(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const mod = (await import(path.join(benchDir, f))) as Record<string, unknown>;
      const benches = Object.entries(mod).filter(([k, v]) => k.startsWith('bench') && typeof v === 'function');
      expect(benches.length, f).toBeGreaterThan(0);
      for (const [k, v] of benches) expect(registered.has(v as () => Promise<never>), `${f}: ${k}`).toBe(true);
    }
    expect(new Set(BENCHES.map((b) => b.name)).size).toBe(BENCHES.length);
  });

  it('GIVEN no names THEN all but the heavy run; GIVEN names THEN those; GIVEN all THEN every one; unknown names are reported', () => {
    expect(select([]).chosen.map((b) => b.name)).toEqual(BENCHES.filter((b) => !b.heavy).map((b) => b.name));
    expect(select(['piped-asks']).chosen.map((b) => b.name)).toEqual(['piped-asks']);
    expect(select(['all']).chosen).toHaveLength(BENCHES.length);
    expect(select(['nope', 'overhead']).unknown).toEqual(['nope']);
  });
});
