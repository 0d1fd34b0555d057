import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

/** The data folder the pre-log-store release wrote (keys, settings, day documents, evidence, counters). */
export const LEGACY_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/legacy-data');

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
  fs.copyFileSync(path.join(LEGACY_FIXTURE, 'master.key'), path.join(dir, 'master.key'));
  fs.chmodSync(path.join(dir, 'master.key'), 0o600);
  return dir;
}

// `tsx test/store/legacy-fixture.ts <data dir>` writes the fixture from a data folder the old release wrote.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const from = path.resolve(process.argv[2] ?? '');
  fs.writeFileSync(path.join(LEGACY_FIXTURE, 'hive.sql'), dumpSqlite(path.join(from, 'hive.sqlite')));
  fs.copyFileSync(path.join(from, 'master.key'), path.join(LEGACY_FIXTURE, 'master.key'));
}
