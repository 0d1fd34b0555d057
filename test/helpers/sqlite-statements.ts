import Database from 'better-sqlite3';
import { vi } from 'vitest';

/**
 * Every SQL statement the log database runs, BEGIN and COMMIT included: recorded where statements
 * execute (prepared statements are reused, so counting `prepare` would miss most of them).
 */
export function recordStatements(): string[] {
  const seen: string[] = [];
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<'run' | 'all' | 'get' | 'iterate', (...a: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'all', 'get', 'iterate'] as const) {
    const original = proto[method];
    vi.spyOn(proto, method).mockImplementation(function (this: Database.Statement, ...args: unknown[]) {
      seen.push(this.source.replace(/\s+/g, ' ').trim().toLowerCase());
      return original.apply(this, args);
    });
  }
  return seen;
}
