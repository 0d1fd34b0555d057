import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

/** The data folder the pre-log-store release wrote (keys, settings, day documents, evidence, counters). */
export const LEGACY_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/legacy-data');

/** The two workspaces of the fixture. */
export const LEGACY_WS = { a: 'slack:T0LEGACYA', b: 'slack:T0LEGACYB' } as const;

/** The vendor keys the old release stored (sealed) for each workspace, built like every fake key. */
export const LEGACY_KEYS: Record<string, Record<Vendor, string>> = {
  [LEGACY_WS.a]: {
    openai: fakeSecret('sk-', 'legacyA-openai-0123456789abcdefgh'),
    anthropic: fakeSecret('sk-ant-', 'legacyA-anthropic-0123456789abcdef'),
    google: fakeSecret('AIza', 'LegacyAgoogle-0123456789abcdefghijk'),
  },
  [LEGACY_WS.b]: {
    openai: fakeSecret('sk-', 'legacyB-openai-0123456789abcdefgh'),
    anthropic: fakeSecret('sk-ant-', 'legacyB-anthropic-0123456789abcdef'),
    google: fakeSecret('AIza', 'LegacyBgoogle-0123456789abcdefghijk'),
  },
};

/** What the old release wrote, read straight from its SQLite file (the expectations of the import tests). */
export interface LegacyContents {
  /** Day documents by `<workspace>|<day>`. */
  docs: Map<string, { total: { usd: number; calls: number; inputTokens: number; outputTokens: number; unpriced: number } }>;
  evidence: { id: string; workspaceId: string; createdAt: string }[];
  counters: Map<string, number>;
}

export function readLegacy(dir: string): LegacyContents {
  const db = new Database(path.join(dir, 'hive.sqlite'), { readonly: true });
  try {
    const out: LegacyContents = { docs: new Map(), evidence: [], counters: new Map() };
    for (const { key, value } of db.prepare('SELECT key, value FROM hive').all() as { key: string; value: string }[]) {
      const v = (JSON.parse(value) as { value: never }).value;
      if (key.startsWith('ledger:')) out.docs.set(key.slice('ledger:'.length), v);
      if (key.startsWith('evidence:')) out.evidence.push(v);
    }
    for (const r of db.prepare('SELECT key, n FROM hive_counters').all() as { key: string; n: number }[]) out.counters.set(r.key, r.n);
    return out;
  } finally {
    db.close();
  }
}

/** The log database's books as plain data: ledger totals per workspace and day, and every budget counter. */
export function books(dir: string): { days: Record<string, string>; counters: Record<string, number>; rows: number } {
  const db = new Database(path.join(dir, 'logs.sqlite'), { readonly: true });
  try {
    const days = db
      .prepare(
        `SELECT workspace_id || '|' || strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS k, count(*) AS calls, coalesce(sum(cost_nano), 0) AS nano,
                sum(input_tokens) AS input, sum(output_tokens) AS output FROM ledger GROUP BY k ORDER BY k`,
      )
      .all() as { k: string; calls: number; nano: number; input: number; output: number }[];
    const counters = db.prepare('SELECT key, settled FROM budget_counters ORDER BY key').all() as { key: string; settled: number }[];
    const rows = (db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
    return {
      days: Object.fromEntries(days.map((d) => [d.k, `${d.calls} calls, ${d.nano} nano, ${d.input}→${d.output}`])),
      counters: Object.fromEntries(counters.map((c) => [c.key, c.settled])),
      rows,
    };
  } finally {
    db.close();
  }
}

/** What the old day documents say, in the same shape as `books().days`. */
export function expectedDays(legacy: LegacyContents): Record<string, string> {
  const out = [...legacy.docs].map(([k, d]) => [
    k,
    `${d.total.calls} calls, ${Math.round(d.total.usd * 1e9)} nano, ${d.total.inputTokens}→${d.total.outputTokens}`,
  ]);
  return Object.fromEntries(out.sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

const quote = (v: unknown): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
};

/** Every table of an SQLite file as SQL text: its CREATE statement, then one INSERT per row, in key order. */
export function dumpSqlite(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
    const out: string[] = [];
    for (const t of tables) {
      out.push(`${t.sql};`);
      for (const row of db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1`).all() as Record<string, unknown>[]) {
        out.push(`INSERT INTO "${t.name}" VALUES (${Object.values(row).map(quote).join(', ')});`);
      }
    }
    return `${out.join('\n')}\n`;
  } finally {
    db.close();
  }
}

/** A fresh temporary data folder holding the fixture: `hive.sqlite` rebuilt from the dump, and `master.key`. */
export function loadLegacyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-legacy-'));
  const db = new Database(path.join(dir, 'hive.sqlite'));
  db.exec(fs.readFileSync(path.join(LEGACY_FIXTURE, 'hive.sql'), 'utf8'));
  db.close();
  fs.copyFileSync(path.join(LEGACY_FIXTURE, 'master-key.fixture'), path.join(dir, 'master.key'));
  fs.chmodSync(path.join(dir, 'master.key'), 0o600);
  return dir;
}

// `tsx test/store/legacy-fixture.ts <data dir>` writes the fixture from a data folder the old release wrote.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const from = path.resolve(process.argv[2] ?? '');
  fs.writeFileSync(path.join(LEGACY_FIXTURE, 'hive.sql'), dumpSqlite(path.join(from, 'hive.sqlite')));
  fs.copyFileSync(path.join(from, 'master.key'), path.join(LEGACY_FIXTURE, 'master-key.fixture'));
}
