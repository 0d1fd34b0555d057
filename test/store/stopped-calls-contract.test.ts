import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/evidence/evidence-store.ts';
import { createBooks, HOLD_LEASE_MS } from '../../src/money/books.ts';
import { createSpendGate, scopesFor, type BudgetScope } from '../../src/money/budget.ts';
import { createLedger, type LedgerRecord } from '../../src/money/ledger.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { ZERO_USAGE, type ModelRequest } from '../../src/shared/provider-spec.ts';
import { opener, suiteBackends } from './log-fixtures.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const AT = Date.parse('2026-11-03T12:00:00Z');
const DAY = '2026-11-03';
const origin = { workspaceId: 'w', channelId: 'C1', userId: 'U1' };
/** 992 bytes of question + 8 of framing: a worst case of 1,000 input tokens, and 1,000 out. */
const req: ModelRequest = { model: 'gpt-6-luna', messages: [{ role: 'user', content: 'x'.repeat(992) }], maxTokens: 1_000 };
const luna = { vendor: 'openai', model: 'gpt-6-luna' } as const;
/** gpt-6-luna at $0.10/$0.50: 1,000 × 0.10 + 1,000 × 0.50 per million = $0.0006. */
const WORST_NANO = 600_000;
const answered = (costUsd: number): CallRecord => ({
  vendor: 'openai',
  model: 'gpt-6-luna',
  startedAt: new Date(AT).toISOString(),
  latencyMs: 5,
  usage: { ...ZERO_USAGE, inputTokens: 300, outputTokens: 20 },
  costUsd,
  priceChecked: '2026-12-01',
  outcome: 'ok',
});

async function rowsOf(db: LogDb): Promise<LedgerRecord[]> {
  const rows = [];
  for await (const r of createLedger(db, () => AT).rows('w', DAY, DAY)) rows.push(r);
  return rows;
}

describe.each(suiteBackends())('calls left in flight by a stopped process, on $name', (backend) => {
  const open = opener(backend);
  const setup = async (cap?: number) => {
    const db = await open();
    let t = AT;
    const clock = { now: () => t, pass: (ms: number) => void (t += ms) };
    const dead = createBooks(db, { owner: 'dead', now: clock.now });
    const live = createBooks(db, { owner: 'live', now: clock.now });
    const scopes: BudgetScope[] = scopesFor(origin, cap === undefined ? undefined : { workspaceUsd: cap }, new Date(AT));
    const gate = (books: typeof dead, n: number, jobId?: string) =>
      createSpendGate(builtInPrices, books, scopes, { ...origin, evidenceId: `E${n}`, at: new Date(AT), ...(jobId ? { jobId } : {}) });
    const started = async (books: typeof dead, n: number, jobId?: string) => {
      const hold = await gate(books, n, jobId).reserve(luna, req);
      await hold.start(luna);
      return hold;
    };
    return { db, clock, dead, live, scopes, started };
  };

  it('GIVEN a call whose process stopped THEN once its lease runs out it is booked once, at its worst case, with its hold; a live call is left alone', async () => {
    const { db, clock, dead, live, scopes, started } = await setup(5);
    await started(dead, 1);
    const alive = await started(live, 2);
    clock.pass(HOLD_LEASE_MS / 2);
    await live.renewHolds();
    expect(await live.bookStoppedCalls('expired')).toBe(0);
    clock.pass(HOLD_LEASE_MS / 2 + 1);
    expect(await live.bookStoppedCalls('expired')).toBe(1);
    expect(await live.bookStoppedCalls('expired')).toBe(0);
    expect(await rowsOf(db)).toMatchObject([
      { evidenceId: 'E1', model: 'gpt-6-luna', inputTokens: 1_000, outputTokens: 1_000, costUsd: WORST_NANO / 1e9, estimated: true, stopped: true },
    ]);
    // The stopped call's hold became its cost; the live call still holds its own worst case.
    expect(await live.balances([scopes[0]!.key])).toEqual([{ settled: WORST_NANO, held: WORST_NANO }]);
    await alive.settle(answered(0.00004));
    expect((await rowsOf(db)).map((r) => [r.evidenceId, r.stopped])).toEqual([
      ['E1', true],
      ['E2', false],
    ]);
    expect(await live.balances([scopes[0]!.key])).toEqual([{ settled: WORST_NANO + 40_000, held: 0 }]);
    const usage = await createLedger(db, () => AT).summarize('w', DAY, DAY);
    expect(usage.total).toMatchObject({ calls: 2, stopped: 1, usd: (WORST_NANO + 40_000) / 1e9 });
  });

  it("GIVEN a job's run that stopped THEN the job's next run, in another process, books its calls at once; a late settlement of the stopped run is skipped", async () => {
    const { db, dead, live, scopes, started } = await setup();
    const left = await started(dead, 1, 'slack:slash:J1');
    await started(live, 2, 'slack:slash:J2');
    expect(await dead.bookStoppedCalls({ jobId: 'slack:slash:J1' })).toBe(0); // never its own
    expect(await live.bookStoppedCalls({ jobId: 'slack:slash:J1' })).toBe(1);
    expect(await live.bookStoppedCalls({ jobId: 'slack:slash:J1' })).toBe(0);
    // The process was only thought dead: its booking comes late, and the first one stands.
    await left.settle(answered(0.00004));
    expect(await rowsOf(db)).toMatchObject([{ evidenceId: 'E1', costUsd: WORST_NANO / 1e9, stopped: true }]);
    expect(await live.balances([scopes[0]!.key])).toEqual([{ settled: WORST_NANO, held: 0 }]);
  });

  it('GIVEN a call that ended normally THEN its booking took its start out: nothing is left to book as stopped', async () => {
    const { db, clock, dead, live, started } = await setup(5);
    await (await started(dead, 1)).settle(answered(0.00004));
    clock.pass(2 * HOLD_LEASE_MS);
    expect(await live.bookStoppedCalls('expired')).toBe(0);
    expect(await rowsOf(db)).toMatchObject([{ evidenceId: 'E1', costUsd: 0.00004, stopped: false }]);
    expect(await db.selectFrom('call_starts').selectAll().execute()).toEqual([]);
  });
});
