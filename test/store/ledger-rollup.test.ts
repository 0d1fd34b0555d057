import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBooks } from '../../src/money/books.ts';
import { createLedger } from '../../src/money/ledger.ts';
import { ROLLUP_MARGIN_MS } from '../../src/money/ledger-rollup.ts';
import { ledgerRow, opener, suiteBackends } from './log-fixtures.ts';

const DAY = 86_400_000;
const day1 = Date.parse('2026-11-03T00:00:00Z');
const LONG_AFTER = day1 + 400 * DAY;

describe.each(suiteBackends())('usage from daily totals on $name', (backend) => {
  const open = opener(backend);

  it('GIVEN random calls THEN a summary from daily totals equals the one counted call by call, and a second read builds nothing', async () => {
    const db = await open();
    const arb = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 9 }),
        ms: fc.integer({ min: 0, max: DAY - 1 }),
        user: fc.constantFrom('U1', 'U2', 'U3'),
        channel: fc.constantFrom('C1', 'C2'),
        model: fc.constantFrom('gpt-6-luna', 'gpt-5'),
        cost: fc.option(fc.integer({ min: 0, max: 5_000_000_000 }), { nil: null }),
        input: fc.integer({ min: 0, max: 100_000 }),
      }),
      { minLength: 1, maxLength: 60 },
    );
    const calls = fc.sample(arb, { numRuns: 1, seed: 7 })[0]!;
    const rows = calls.map((c) =>
      ledgerRow({ at: day1 + c.day * DAY + c.ms, user_id: c.user, channel_id: c.channel, model: c.model, cost_nano: c.cost, input_tokens: c.input }),
    );
    await db.insertInto('ledger').values(rows).execute();
    // A clock before every call: all days open, counted call by call. Long after: all days closed, from totals.
    const byCalls = await createLedger(db, () => day1).summarize('w', '2026-11-02', '2026-11-14');
    const byTotals = await createLedger(db, () => LONG_AFTER).summarize('w', '2026-11-02', '2026-11-14');
    expect(byTotals).toEqual(byCalls);
    expect(byTotals.total.calls).toBe(rows.length);
    const built = Number(
      (
        await db
          .selectFrom('ledger_rollup_days')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(built).toBe(13);
    await createLedger(db, () => LONG_AFTER).summarize('w', '2026-11-02', '2026-11-14');
    expect(
      Number(
        (
          await db
            .selectFrom('ledger_rollup_days')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(13);
  });

  it('GIVEN a day that ended less than the margin ago THEN its late calls still count; after the margin it is rolled up with them', async () => {
    const db = await open();
    const books = createBooks(db);
    await books.settle({ keys: [], costNano: 0, row: ledgerRow({ at: day1 + DAY - 1, cost_nano: 10 }) });
    const justAfter = day1 + DAY + ROLLUP_MARGIN_MS - 1;
    const ledger = createLedger(db, () => justAfter);
    expect((await ledger.summarize('w', '2026-11-03', '2026-11-04')).total.calls).toBe(1);
    // A call that started before midnight lands late: the day is still open, so it counts.
    await books.settle({ keys: [], costNano: 0, row: ledgerRow({ at: day1 + DAY - 2, cost_nano: 5 }) });
    expect((await ledger.summarize('w', '2026-11-03', '2026-11-03')).total).toMatchObject({ calls: 2, usd: 15e-9 });
    const later = createLedger(db, () => justAfter + 1);
    expect((await later.summarize('w', '2026-11-03', '2026-11-04')).total).toMatchObject({ calls: 2, usd: 15e-9 });
    expect(
      Number(
        (
          await db
            .selectFrom('ledger_rollup')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBeGreaterThan(0);
  });

  it('GIVEN rows added to rolled-up days (an import) THEN invalidating the workspace counts them, other workspaces untouched', async () => {
    const db = await open();
    const ledger = createLedger(db, () => LONG_AFTER);
    await db
      .insertInto('ledger')
      .values([ledgerRow({ cost_nano: 1 }), ledgerRow({ workspace_id: 'other', cost_nano: 2 })])
      .execute();
    expect((await ledger.summarize('w', '2026-11-03', '2026-11-03')).total.calls).toBe(1);
    expect((await ledger.summarize('other', '2026-11-03', '2026-11-03')).total.calls).toBe(1);
    await db
      .insertInto('ledger')
      .values(ledgerRow({ cost_nano: 4 }))
      .execute();
    await ledger.invalidateTotals('w');
    expect((await ledger.summarize('w', '2026-11-03', '2026-11-03')).total).toMatchObject({ calls: 2, usd: 5e-9 });
    expect((await ledger.summarize('other', '2026-11-03', '2026-11-03')).total).toMatchObject({ calls: 1, usd: 2e-9 });
  });

  it('GIVEN two readers building the same days at once THEN each call is counted once', async () => {
    const db = await open();
    await db
      .insertInto('ledger')
      .values(Array.from({ length: 40 }, (_, i) => ledgerRow({ at: day1 + (i % 20) * DAY, cost_nano: 3 })))
      .execute();
    const readers = Array.from({ length: 4 }, () => createLedger(db, () => LONG_AFTER).summarize('w', '2026-11-01', '2026-11-30'));
    for (const s of await Promise.all(readers)) expect(s.total).toMatchObject({ calls: 40, usd: 120e-9 });
  });
});
