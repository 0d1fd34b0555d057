import { sql, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createEvidenceStore } from '../../src/evidence/evidence-store.ts';
import { createBooks } from '../../src/money/books.ts';
import { createLedger } from '../../src/money/ledger.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { logMigrations } from '../../src/store/log-migrations.ts';
import { evidenceId, evidenceRecord, ledgerRow, opener, suiteBackends } from './log-fixtures.ts';

const DAY = 86_400_000;
const day1 = Date.parse('2026-11-03T00:00:00Z');

/** SQLite reports primary key columns as nullable (its legacy rule); they are keys either way. */
const PRIMARY_KEYS = new Set([
  'budget_counters.key',
  'call_starts.id',
  'budget_holds.id',
  'evidence.id',
  'ledger.id',
  ...['workspace_id', 'day', 'dim', 'k1', 'k2'].map((c) => `ledger_rollup.${c}`),
  'ledger_rollup_days.workspace_id',
  'ledger_rollup_days.day',
]);

/** Tables, columns (name, `?` when nullable) and secondary indexes, as every backend must have them. */
async function schemaOf(db: LogDb): Promise<{ tables: Record<string, string[]>; indexes: string[] }> {
  const tables: Record<string, string[]> = {};
  for (const t of await db.introspection.getTables()) {
    tables[t.name] = t.columns.map((c) => `${c.name}${c.isNullable && !PRIMARY_KEYS.has(`${t.name}.${c.name}`) ? '?' : ''}`).sort();
  }
  const onPostgres = (await sql`select 1 from pg_catalog.pg_class limit 1`.execute(db).then(
    () => true,
    () => false,
  )) as boolean;
  const q = onPostgres
    ? sql<{
        name: string;
      }>`select indexname as name from pg_indexes where schemaname = current_schema() and indexname not like '%pkey' and indexname not like '%\\_pk'`
    : sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql is not null`;
  return { tables, indexes: (await q.execute(db)).rows.map((r) => r.name).sort() };
}

describe.each(suiteBackends())('log store contract on $name', (backend) => {
  const open = opener(backend);

  it('GIVEN the store opened twice THEN migrations are applied once and the schema is the same on every backend', async () => {
    const url = await backend.url();
    const first = await open(url);
    await createBooks(first).settle({ keys: ['k'], costNano: 7, row: ledgerRow() });
    const again = await open(url);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(again);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(await logMigrations.getMigrations()).sort());
    if (backend.name !== 'memory') expect(await createBooks(again).balances(['k'])).toEqual([{ settled: 7, held: 0 }]);
    expect(await schemaOf(again)).toEqual({
      tables: {
        answer_actions: ['at', 'evidence_id?', 'job_id?', 'kind', 'lane?', 'lane_reason?', 'ref', 'slot', 'user_id', 'workspace_id'],
        answer_jobs: [
          'asker_id',
          'attachments?',
          'cancel_by?',
          'channel_id',
          'command',
          'context?',
          'created_at',
          'evidence_id?',
          'expires_at',
          'lane?',
          'lane_reason?',
          'platform',
          'ref',
          'state',
          'text',
          'thread_id?',
          'updated_at',
          'workspace_id',
        ],
        budget_counters: ['held', 'key', 'settled'],
        budget_holds: ['amount', 'expires_at', 'id', 'keys', 'owner'],
        call_starts: [
          'at',
          'channel_id',
          'evidence_id',
          'expires_at',
          'hold_id?',
          'id',
          'job_id?',
          'keys',
          'lane?',
          'max_tokens',
          'model',
          'owner',
          'prompt_tokens',
          'route?',
          'started_at',
          'user_id',
          'vendor',
          'workspace_id',
          'worst_nano?',
        ],
        digest_channels: ['at_time', 'channel_id', 'enabled_at', 'enabled_by', 'off_at?', 'options', 'platform', 'timezone', 'workspace_id'],
        digest_messages: [
          'at',
          'author_id',
          'author_name',
          'channel_id',
          'edited',
          'expires_at',
          'message_id',
          'permalink?',
          'text',
          'thread_id?',
          'workspace_id',
        ],
        digest_runs: ['channel_id', 'cost_nano?', 'day', 'evidence_id?', 'finished_at?', 'lease_until', 'note?', 'owner', 'status', 'workspace_id'],
        evidence: ['content?', 'content_expires_at', 'created_at', 'id', 'record', 'workspace_id'],
        ledger: [
          'at',
          'cache_read_tokens',
          'cache_write_tokens',
          'channel_id',
          'cost_nano?',
          'estimated',
          'evidence_id',
          'id',
          'input_tokens',
          'lane?',
          'model',
          'output_tokens',
          'reasoning_tokens',
          'route?',
          'stopped',
          'user_id',
          'vendor',
          'workspace_id',
        ],
        ledger_rollup: ['calls', 'cost_nano', 'day', 'dim', 'input_tokens', 'k1', 'k2', 'output_tokens', 'stopped', 'unpriced', 'workspace_id'],
        ledger_rollup_days: ['day', 'workspace_id'],
        local_jobs: ['data', 'enqueued_at', 'job_id', 'platform', 'runs', 'workspace_id'],
        outbox: ['attempts', 'created_at', 'held_reply?', 'job_id', 'owner', 'platform', 'posting_at?', 'ref?', 'sent_at?', 'state', 'workspace_id'],
      },
      indexes: [
        'answer_actions_at',
        'answer_actions_evidence',
        'answer_actions_workspace_at',
        'answer_jobs_expires_at',
        'budget_holds_expires_at',
        'budget_holds_owner',
        'digest_messages_channel_at',
        'digest_messages_expires_at',
        'evidence_content_pending',
        'evidence_created_at',
        'ledger_workspace_at',
        'outbox_created_at',
      ],
    });
  });

  it('GIVEN ledger rows over several days THEN a summary counts the days asked, by model, vendor, user and channel, in numbers', async () => {
    const db = await open();
    const books = createBooks(db);
    const rows = [
      ledgerRow({ at: day1, cost_nano: 3_000_000_000_000 }), // $3000: past 32-bit sums
      ledgerRow({ at: day1 + DAY - 1, vendor: 'anthropic', model: 'claude-haiku-4-5', user_id: 'U2', cost_nano: 250_000_000, input_tokens: 3_000_000_000 }),
      ledgerRow({ at: day1 + DAY + 5, channel_id: 'C2', cost_nano: null }),
      ledgerRow({ at: day1 + 2 * DAY, cost_nano: 5 }),
      ledgerRow({ at: day1 + 5, workspace_id: 'other', cost_nano: 999 }),
    ];
    for (const row of rows) await books.settle({ keys: [], costNano: 0, row });
    const ledger = createLedger(db);
    const one = await ledger.summarize('w', '2026-11-03', '2026-11-03');
    expect(one.total).toEqual({ usd: 3000.25, calls: 2, inputTokens: 3_000_000_010, outputTokens: 10, unpriced: 0, stopped: 0 });
    expect(Object.keys(one.byModel).sort()).toEqual(['anthropic:claude-haiku-4-5', 'openai:gpt-6-luna']);
    expect(one.byUser.U2).toEqual({ usd: 0.25, calls: 1, inputTokens: 3_000_000_000, outputTokens: 5, unpriced: 0, stopped: 0 });
    const two = await ledger.summarize('w', '2026-11-03', '2026-11-04');
    expect(two.total).toMatchObject({ calls: 3, unpriced: 1, usd: 3000.25 });
    expect(two.byChannel).toEqual({
      C1: { usd: 3000.25, calls: 2, inputTokens: 3_000_000_010, outputTokens: 10, unpriced: 0, stopped: 0 },
      C2: { usd: 0, calls: 1, inputTokens: 10, outputTokens: 5, unpriced: 1, stopped: 0 },
    });
    expect(two.byVendor.openai).toMatchObject({ calls: 2, usd: 3000 });
    const later = await ledger.summarize('w', '2026-11-05', '2026-11-05');
    expect(later.total).toEqual({ usd: 5e-9, calls: 1, inputTokens: 10, outputTokens: 5, unpriced: 0, stopped: 0 });
  });

  it('GIVEN more ledger rows than a page, many at the same millisecond THEN the export has each once, in (time, booking) order, while other writes go on', async () => {
    const db = await open();
    const base = day1 + 1000;
    const rows = Array.from({ length: 1203 }, (_, i) =>
      ledgerRow({ at: base + Math.floor(i / 7), evidence_id: `E${i}`, workspace_id: i % 10 === 9 ? 'other' : 'w' }),
    );
    await db.insertInto('ledger').values(rows).execute();
    const seen: string[] = [];
    const books = createBooks(db);
    for await (const r of createLedger(db).rows('w', '2026-11-03', '2026-11-03')) {
      if (seen.push(r.evidenceId) === 1) await books.settle({ keys: ['during'], costNano: 1 }); // the export holds no connection
      expect(typeof r.costUsd).toBe('number');
    }
    expect(seen).toEqual(rows.filter((r) => r.workspace_id === 'w').map((r) => r.evidence_id));
    expect(await books.balances(['during'])).toEqual([{ settled: 1, held: 0 }]);
  });

  it('GIVEN evidence of two workspaces THEN get and since show each only its own, oldest first across pages', async () => {
    const db = await open();
    const now = day1 + 10 * DAY;
    const store = createEvidenceStore({ db, retentionDays: 30, now: () => now });
    const records = Array.from({ length: 1101 }, (_, i) => evidenceRecord(1101 - i, i % 3 === 0 ? 'B' : 'A', day1 + Math.floor(i / 4)));
    for (let i = 0; i < records.length; i += 50) {
      await Promise.all(records.slice(i, i + 50).map((r) => store.save(r, { messages: [{ role: 'user', content: `q${r.id}` }], answer: 'a' })));
    }
    const order = (ws: string) =>
      records
        .filter((r) => ws === '*' || r.workspaceId === ws)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .map((r) => r.id);
    const ids = async (ws: string, since = 0) => {
      const out: string[] = [];
      for await (const v of store.since(since, ws)) out.push(v.id);
      return out;
    };
    expect(await ids('A')).toEqual(order('A'));
    expect(await ids('*')).toEqual(order('*'));
    expect(await ids('B', day1 + 200)).toEqual(order('B').filter((id) => Date.parse(records.find((r) => r.id === id)!.createdAt) >= day1 + 200));
    const a = records.find((r) => r.workspaceId === 'A')!;
    expect(await store.get(a.id, 'B')).toBeUndefined();
    expect(await store.get(a.id.toLowerCase(), 'A')).toMatchObject({ id: a.id, workspaceId: 'A', content: { answer: 'a' } });
  });

  it('GIVEN thousands of expired rows THEN expire clears and deletes them in statements of at most 500 rows, yielding between them', async () => {
    const db = await open();
    const now = day1 + 500 * DAY;
    const seed = (n: number, createdAt: number, offset: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: evidenceId(offset + i),
        workspace_id: 'w',
        created_at: createdAt,
        record: JSON.stringify(evidenceRecord(offset + i, 'w', createdAt)),
        content: '{"messages":[],"answer":"secret"}',
        content_expires_at: createdAt + 30 * DAY,
      }));
    const rows = [...seed(1100, now - 401 * DAY, 0), ...seed(134, now - 31 * DAY, 2000), ...seed(5, now - DAY, 3000)];
    for (let i = 0; i < rows.length; i += 400)
      await db
        .insertInto('evidence')
        .values(rows.slice(i, i + 400))
        .execute();
    const changed: number[] = [];
    const counter: KyselyPlugin = {
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        if (a.result.numAffectedRows !== undefined) changed.push(Number(a.result.numAffectedRows));
        return a.result;
      },
    };
    const store = createEvidenceStore({ db: db.withPlugin(counter), retentionDays: 30, now: () => now });
    let batchesWhenOthersRan: number | undefined;
    setImmediate(() => (batchesWhenOthersRan = changed.length));
    await store.expire(now);
    expect(batchesWhenOthersRan).toBeDefined();
    expect(batchesWhenOthersRan!).toBeLessThan(changed.length);
    expect(Math.max(...changed)).toBe(500);
    expect(changed.reduce((s, n) => s + n, 0)).toBe(1234 + 1100);
    const left = await db.selectFrom('evidence').select(['id', 'content']).orderBy('id').execute();
    expect(left).toHaveLength(139);
    expect(left.filter((r) => r.content !== null).map((r) => r.id)).toEqual(Array.from({ length: 5 }, (_, i) => evidenceId(3000 + i)));
    await store.expire(now);
    expect(
      await db
        .selectFrom('evidence')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 139 });
  });
});
