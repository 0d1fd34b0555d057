import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/evidence/evidence-store.ts';
import { createBooks, HOLD_LEASE_MS } from '../../src/money/books.ts';
import { createSpendGate, scopesFor } from '../../src/money/budget.ts';
import { createLedger } from '../../src/money/ledger.ts';
import { logMigrations } from '../../src/store/log-migrations.ts';
import type { LogTables } from '../../src/store/log-schema.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';
import { ledgerRow, opener, suiteBackends } from './log-fixtures.ts';

const DAY = 86_400_000;
const day1 = Date.parse('2026-11-03T00:00:00Z');
const LONG_AFTER = day1 + 400 * DAY;

/** Calls over three days on two lanes and three rules, and one booked before lanes were recorded. */
const CALLS = [
  ledgerRow({ at: day1 + 1000, lane: 'cheap', route: 'auto: short question', cost_nano: 10 }),
  ledgerRow({ at: day1 + 2000, lane: 'deep', route: '--deep', cost_nano: 300, vendor: 'anthropic', model: 'claude-opus-5' }),
  ledgerRow({ at: day1 + DAY + 5, lane: 'cheap', route: 'digest', cost_nano: 20 }),
  ledgerRow({ at: day1 + 2 * DAY + 5, lane: 'deep', route: '--deep', cost_nano: null }),
  ledgerRow({ at: day1 + 2 * DAY + 6, cost_nano: 4 }),
];

describe.each(suiteBackends())('spend by lane and by routing rule on $name', (backend) => {
  const open = opener(backend);

  it('GIVEN calls on lanes and rules, and one from before THEN open days and daily totals split them alike, the old one unrecorded', async () => {
    const db = await open();
    await db.insertInto('ledger').values(CALLS).execute();
    const byCalls = await createLedger(db, () => day1).summarize('w', '2026-11-03', '2026-11-05');
    const byTotals = await createLedger(db, () => LONG_AFTER).summarize('w', '2026-11-03', '2026-11-05');
    expect(byTotals).toEqual(byCalls);
    expect(byTotals.byLane).toEqual({
      cheap: { usd: 30e-9, calls: 2, inputTokens: 20, outputTokens: 10, unpriced: 0, stopped: 0 },
      deep: { usd: 300e-9, calls: 2, inputTokens: 20, outputTokens: 10, unpriced: 1, stopped: 0 },
      unrecorded: { usd: 4e-9, calls: 1, inputTokens: 10, outputTokens: 5, unpriced: 0, stopped: 0 },
    });
    expect(Object.fromEntries(Object.entries(byTotals.byRoute).map(([k, b]) => [k, b.calls]))).toEqual({
      'auto: short question': 1,
      '--deep': 2,
      digest: 1,
      unrecorded: 1,
    });
    const rolled = await db.selectFrom('ledger_rollup').select(['dim', 'k1']).where('dim', 'in', ['lane', 'route']).where('k1', '=', 'unrecorded').execute();
    expect(rolled.map((r) => r.dim).sort()).toEqual(['lane', 'route']);
  });

  it('GIVEN closed and open days THEN daily gives every day of the range with its dollars per vendor, as summaries of each day do', async () => {
    const db = await open();
    await db.insertInto('ledger').values(CALLS).execute();
    // Day 1 and 2 closed (from totals), day 3 and the empty day 4 open (from the calls).
    const ledger = createLedger(db, () => day1 + 3 * DAY + 3 * 3600_000);
    const days = await ledger.daily('w', '2026-11-02', '2026-11-06');
    expect(days.map((d) => d.day)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']);
    for (const d of days) {
      const one = await ledger.summarize('w', d.day, d.day);
      expect(d.byVendor).toEqual(Object.fromEntries(Object.entries(one.byVendor).map(([v, b]) => [v, b.usd])));
    }
    expect(days[1]!.byVendor).toEqual({ openai: 10e-9, anthropic: 300e-9 });
    expect(days[3]!.byVendor).toEqual({ openai: 4e-9 });
    expect(await ledger.daily('other', '2026-11-03', '2026-11-03')).toEqual([{ day: '2026-11-03', byVendor: {} }]);
  });

  it('GIVEN a job booked with a lane and rule THEN its calls carry them, one booked as stopped by a sweep too, and the export shows them', async () => {
    const db = await open();
    let t = day1 + 12 * 3600_000;
    const dead = createBooks(db, { owner: 'dead', now: () => t });
    const live = createBooks(db, { owner: 'live', now: () => t });
    const origin = { workspaceId: 'w', channelId: 'C1', userId: 'U1' };
    const gate = (books: typeof dead, n: number) =>
      createSpendGate(builtInPrices, books, scopesFor(origin, undefined, new Date(t)), {
        ...origin,
        evidenceId: `E${n}`,
        at: new Date(t),
        lane: 'balanced',
        route: 'auto: code',
      });
    const luna = { vendor: 'openai', model: 'gpt-6-luna' } as const;
    const req = { model: 'gpt-6-luna', messages: [{ role: 'user' as const, content: 'x' }], maxTokens: 10 };
    const stopped = await gate(dead, 1).reserve(luna, req);
    await stopped.start(luna);
    const done = await gate(live, 2).reserve(luna, req);
    await done.start(luna);
    const call: CallRecord = {
      ...luna,
      startedAt: new Date(t).toISOString(),
      latencyMs: 1,
      usage: { ...ZERO_USAGE, inputTokens: 3 },
      costUsd: 0.001,
      priceChecked: '2026-12-01',
      outcome: 'ok',
    };
    await done.settle(call);
    t += HOLD_LEASE_MS + 1;
    expect(await live.bookStoppedCalls('expired')).toBe(1);
    const rows = [];
    for await (const r of createLedger(db, () => t).rows('w', '2026-11-03', '2026-11-03')) rows.push(r);
    expect(rows.map((r) => [r.evidenceId, r.stopped, r.lane, r.route]).sort()).toEqual([
      ['E1', true, 'balanced', 'auto: code'],
      ['E2', false, 'balanced', 'auto: code'],
    ]);
  });

  it.skipIf(backend.name === 'memory')(
    'GIVEN a store with daily totals built before lanes were recorded THEN after the migration they are rebuilt: every call counts once, under unrecorded',
    async () => {
      const url = await backend.url();
      const old = await openAt(url, '0011_answer_jobs_attachments');
      await old
        .insertInto('ledger')
        .values([ledgerRow({ cost_nano: 7 }), ledgerRow({ cost_nano: 5, user_id: 'U2' })])
        .execute();
      const day = day1 / DAY;
      const totals = { workspace_id: 'w', day, calls: 2, cost_nano: 12, input_tokens: 20, output_tokens: 10, unpriced: 0, stopped: 0 };
      await old
        .insertInto('ledger_rollup')
        .values([
          { ...totals, dim: 'model', k1: 'openai', k2: 'gpt-6-luna' },
          { ...totals, dim: 'channel', k1: 'C1', k2: '' },
          { ...totals, calls: 1, cost_nano: 7, input_tokens: 10, output_tokens: 5, dim: 'user', k1: 'U1', k2: '' },
          { ...totals, calls: 1, cost_nano: 5, input_tokens: 10, output_tokens: 5, dim: 'user', k1: 'U2', k2: '' },
        ])
        .execute();
      await old.insertInto('ledger_rollup_days').values({ workspace_id: 'w', day }).execute();
      await old.destroy();
      const db = await open(url);
      const s = await createLedger(db, () => LONG_AFTER).summarize('w', '2026-11-03', '2026-11-03');
      expect(s.total).toMatchObject({ calls: 2, usd: 12e-9 });
      expect(s.byLane).toEqual({ unrecorded: s.total });
      expect(s.byRoute).toEqual({ unrecorded: s.total });
      expect(Object.keys(s.byUser).sort()).toEqual(['U1', 'U2']);
    },
  );
});

/** Opens the store at `url` migrated only up to `last`, as a release before lanes left it. */
async function openAt(url: string, last: string): Promise<Kysely<LogTables>> {
  const onPostgres = /^postgres(ql)?:/.test(url);
  const dialect = onPostgres
    ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) })
    : new SqliteDialect({ database: new Database(url.slice('sqlite://'.length)) });
  const db = new Kysely<LogTables>({ dialect });
  const schema = onPostgres ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
  const { error } = await new Migrator({ db, provider: logMigrations, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateTo(last);
  if (error) throw error;
  return db;
}
