import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openLogDb } from '../adapters/store/open-log-db.ts';
import type { EvidenceContent, EvidenceRecord } from '../src/evidence/evidence-store.ts';
import { logMigrations } from '../src/store/log-migrations.ts';
import { LEDGER_ROW_COLUMNS, type LogTables } from '../src/store/log-schema.ts';
import { seededRandom } from '../test/helpers/seeded-random.ts';

/** Bump when the generated data changes shape, so cached files are made again. */
const GENERATOR_VERSION = 2;
export const LEDGER_ROWS = 1_000_000;
export const EVIDENCE_RECORDS = 100_000;
export const SPAN_DAYS = 60;
const DAY_MS = 86_400_000;
const RETENTION_DAYS = 30;
/** `local` is the terminal's workspace (and the overhead bench's), so the jobs measured land among the generated rows. */
export const WORKSPACES = ['local', 'slack:T0001', 'slack:T0002', 'slack:T0003', 'slack:T0004', 'discord:G0001'];
const USERS = 25;
const CHANNELS = 8;
const MODELS: [string, string, number, number][] = [
  ['openai', 'gpt-6-luna', 150, 600],
  ['openai', 'gpt-4.1', 2000, 8000],
  ['anthropic', 'claude-haiku-4-5', 1000, 5000],
  ['anthropic', 'claude-sonnet-4-5', 3000, 15000],
  ['google', 'gemini-2.5-flash', 300, 2500],
  ['google', 'gemini-2.5-pro', 1250, 10000],
];
/** The lane and routing rule each generated call is booked under; the first tenth of the span predates them (null). */
const ROUTES: [string, string][] = [
  ['cheap', 'auto: short question'],
  ['cheap', 'auto: simple task'],
  ['balanced', 'auto: code'],
  ['balanced', 'auto: general'],
  ['balanced', 'channel default'],
  ['deep', '--deep'],
  ['deep', 'auto: hard reasoning'],
  ['balanced', 'consensus'],
  ['cheap', 'digest'],
];

/** A generated log database: where it is, when its data ends, and how long making it took (undefined when cached). */
export interface LargeStore {
  file: string;
  endMs: number;
  generatedMs: number | undefined;
}

/**
 * The large log database, cached in the OS temp directory: keyed by the schema (the migration names),
 * the generator version and the UTC day (the rows end at generation time, so "this month" stays full).
 */
export async function largeStore(): Promise<LargeStore> {
  const names = Object.keys(await logMigrations.getMigrations())
    .sort()
    .join(',');
  const schema = createHash('sha256').update(names).digest('hex').slice(0, 10);
  const day = new Date().toISOString().slice(0, 10);
  const prefix = `hive-bench-logs-${schema}-g${GENERATOR_VERSION}-`;
  const file = path.join(os.tmpdir(), `${prefix}${day}.sqlite`);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta))
    return { file, endMs: (JSON.parse(fs.readFileSync(meta, 'utf8')) as { endMs: number }).endMs, generatedMs: undefined };
  for (const f of fs.readdirSync(os.tmpdir())) if (f.startsWith('hive-bench-logs-')) fs.rmSync(path.join(os.tmpdir(), f), { force: true });
  const t0 = performance.now();
  const endMs = Date.now();
  const tmp = `${file}.partial`;
  fs.rmSync(tmp, { force: true });
  await (await openLogDb(`sqlite://${tmp}`)).destroy(); // the schema, by Hive's own migrations
  fill(tmp, endMs);
  fs.renameSync(tmp, file);
  fs.writeFileSync(meta, JSON.stringify({ endMs }));
  return { file, endMs, generatedMs: performance.now() - t0 };
}

/** Bulk insert: one transaction, prepared statements, rollback journal during the load, WAL again after. */
function fill(file: string, endMs: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const cols = (t: keyof LogTables, names: string[]) => `INSERT INTO ${t} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  const ledger = db.prepare(cols('ledger', [...LEDGER_ROW_COLUMNS]));
  const evidence = db.prepare(cols('evidence', ['id', 'workspace_id', 'created_at', 'record', 'content', 'content_expires_at']));
  const rand = seededRandom(42); // seeded: every generated store holds the same rows
  const startMs = endMs - SPAN_DAYS * DAY_MS;
  const every = LEDGER_ROWS / EVIDENCE_RECORDS;
  db.transaction(() => {
    for (let i = 0; i < LEDGER_ROWS; i++) {
      const at = Math.floor(startMs + ((i + rand()) / LEDGER_ROWS) * SPAN_DAYS * DAY_MS);
      const ws = WORKSPACES[Math.floor(rand() * WORKSPACES.length)]!;
      const [vendor, model, inNano, outNano] = MODELS[Math.floor(rand() * MODELS.length)]!;
      const input = 50 + Math.floor(rand() * 4000);
      const output = 10 + Math.floor(rand() * 800);
      const cost = rand() < 0.02 ? null : input * inNano + output * outNano;
      const row = {
        at,
        ws,
        channel: `C${Math.floor(rand() * CHANNELS)}`,
        user: `U${Math.floor(rand() * USERS)}`,
        vendor,
        model,
        input,
        output,
        cost,
        id: ulidAt(at, i),
      };
      const [lane, route] = i < LEDGER_ROWS / 10 ? [null, null] : ROUTES[Math.floor(rand() * ROUTES.length)]!;
      ledger.run(at, ws, row.channel, row.user, vendor, model, input, output, Math.floor(input / 4), 0, 0, cost, row.id, 0, lane, route);
      if (i % every === 0) evidence.run(...evidenceRow(row, endMs));
    }
  })();
  db.pragma('journal_mode = WAL');
  db.close();
}

interface Row {
  at: number;
  ws: string;
  channel: string;
  user: string;
  vendor: string;
  model: string;
  input: number;
  output: number;
  cost: number | null;
  id: string;
}

/** An evidence row shaped like the store writes one; prompts and answers older than the retention period already cleared. */
function evidenceRow(r: Row, endMs: number): [string, string, number, string, string | null, number] {
  const expires = r.at + RETENTION_DAYS * DAY_MS;
  const record: EvidenceRecord = {
    id: r.id,
    createdAt: new Date(r.at).toISOString(),
    workspaceId: r.ws,
    channelId: r.channel,
    userId: r.user,
    platform: r.ws.split(':')[0] === 'local' ? 'terminal' : r.ws.split(':')[0]!,
    command: 'ask',
    lane: 'cheap',
    laneReason: 'flag --cheap',
    status: 'ok',
    totalCostUsd: r.cost === null ? null : r.cost / 1e9,
    priceTableVersion: '2026-05-01',
    contentExpiresAt: new Date(expires).toISOString(),
    calls: [
      {
        vendor: r.vendor as EvidenceRecord['calls'][number]['vendor'],
        model: r.model,
        responseModel: `${r.model}-2026-01-01`,
        requestId: `req_${r.id}`,
        startedAt: new Date(r.at).toISOString(),
        latencyMs: 400 + (r.input % 1600),
        costUsd: r.cost === null ? null : r.cost / 1e9,
        priceChecked: '2026-05-01',
        finishReason: { unified: 'stop', raw: 'stop' },
        outcome: 'ok',
        attempt: 'first',
      },
    ],
  };
  const content: EvidenceContent = {
    messages: [{ role: 'user', content: `Generated question ${r.id}: how do we rotate the staging database credentials without downtime?` }],
    answer: 'Create the new credentials first, deploy them to every client, verify, then revoke the old ones. '.repeat(3),
  };
  return [r.id, r.ws, r.at, JSON.stringify(record), expires > endMs ? JSON.stringify(content) : null, expires];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id: the time in its first 10 characters, a counter (unique per row) in the other 16. */
function ulidAt(ms: number, n: number): string {
  let out = '';
  for (let i = 9, t = ms; i >= 0; i--, t = Math.floor(t / 32)) out = CROCKFORD[t % 32]! + out;
  let tail = '';
  for (let i = 0, x = n; i < 16; i++, x = Math.floor(x / 32)) tail = CROCKFORD[x % 32]! + tail;
  return out + tail;
}
