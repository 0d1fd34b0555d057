import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryAtomic, type AtomicOps } from '../../src/store/atomic.ts';
import { createSqliteAtomic } from '../../adapters/store/sqlite/atomic-sqlite.ts';
import { createSpendGate, scopesFor, type Booking } from '../../src/money/budget.ts';
import { worstCaseUsd } from '../../src/money/usage-math.ts';
import { UserError } from '../../src/shared/errors.ts';
import type { CallRecord } from '../../src/evidence/evidence-store.ts';
import { createBooks, HOLD_LEASE_MS, type Books } from '../../src/money/books.ts';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { createLedger } from '../../src/money/ledger.ts';
import type { ModelRef } from '../../src/shared/types.ts';
import type { ModelRequest } from '../../src/shared/provider-spec.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const ref: ModelRef = { vendor: 'openai', model: 'gpt-6-luna' };
const req: ModelRequest = { model: 'gpt-6-luna', messages: [{ role: 'user', content: 'hello' }], maxTokens: 1000 };
const origin = { workspaceId: 'w', channelId: 'C1', userId: 'U1' };
const now = new Date('2026-11-24T12:00:00Z');
const booking: Booking = { ...origin, evidenceId: '01JD0000000000000000000000', at: now };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-budget-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A finished call that cost `usd`. */
const call = (usd: number | null): CallRecord => ({
  vendor: 'openai',
  model: 'gpt-6-luna',
  startedAt: now.toISOString(),
  latencyMs: 5,
  usage: { ...ZERO_USAGE, inputTokens: 10, outputTokens: 5 },
  costUsd: usd,
  priceChecked: null,
  outcome: 'ok',
});

const logBackends: [string, () => string][] = [
  ['memory', () => 'memory://'],
  ['sqlite', () => `sqlite://${path.join(dir, `b-${Math.random()}.sqlite`)}`],
];

async function open(url: string, now?: () => number): Promise<{ db: LogDb; books: Books }> {
  const db = await openLogDb(url);
  return { db, books: createBooks(db, now ? { now } : {}) };
}

describe.each(logBackends)('budget holds on %s', (_name, url) => {
  it('GIVEN 200 concurrent calls against a small cap THEN recorded spend never passes the cap', async () => {
    const { db, books } = await open(url());
    const worst = worstCaseUsd(builtInPrices, ref, req, booking.at)!;
    const cap = worst * 20.5; // room for 20 worst cases
    const scopes = scopesFor(origin, { workspaceUsd: cap }, now);
    const gate = createSpendGate(builtInPrices, books, scopes, booking);
    let refused = 0;
    let maxSeen = 0;
    const jobs = Array.from({ length: 200 }, async (_, i) => {
      try {
        const hold = await gate.reserve(ref, req);
        const [b] = await books.balances([scopes[0]!.key]);
        maxSeen = Math.max(maxSeen, b!.settled + b!.held);
        await new Promise((r) => setImmediate(r));
        await hold.settle(call(worst * (i % 2 === 0 ? 1 : 0.25))); // actual ≤ worst case
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        refused++;
      }
    });
    await Promise.all(jobs);
    const [b] = await books.balances([scopes[0]!.key]);
    expect(b!.settled / 1e9).toBeLessThanOrEqual(cap);
    expect(b!.held).toBe(0);
    expect(maxSeen / 1e9).toBeLessThanOrEqual(cap);
    expect(refused).toBeGreaterThan(0);
    expect(200 - refused).toBeGreaterThanOrEqual(20);
    await db.destroy();
  });

  it('GIVEN a user cap that refuses THEN the workspace hold is rolled back and the message names the budget', async () => {
    const { db, books } = await open(url());
    const scopes = scopesFor(origin, { workspaceUsd: 10, users: { U1: 0.000001 } }, now);
    const gate = createSpendGate(builtInPrices, books, scopes, booking);
    await expect(gate.reserve(ref, req)).rejects.toThrow(/user budget for this month is reached[\s\S]*\/hive budget user/);
    expect(await books.balances([scopes[0]!.key])).toEqual([{ settled: 0, held: 0 }]);
    await db.destroy();
  });

  it('GIVEN a settled call THEN spend equals the actual cost, not the hold, and the ledger agrees to the nano-dollar', async () => {
    const { db, books } = await open(url());
    const scopes = scopesFor(origin, { workspaceUsd: 1 }, now);
    const hold = await createSpendGate(builtInPrices, books, scopes, booking).reserve(ref, req);
    expect((await books.balances([scopes[0]!.key]))[0]!.held).toBeGreaterThan(0);
    await hold.settle(call(0.000123));
    expect(await books.balances([scopes[0]!.key, scopes[2]!.key])).toEqual([
      { settled: 123_000, held: 0 },
      { settled: 123_000, held: 0 },
    ]);
    const usage = await createLedger(db).summarize('w', '2026-11-01', '2026-11-30');
    expect(usage.total).toMatchObject({ usd: 0.000123, calls: 1, inputTokens: 10, outputTokens: 5, unpriced: 0 });
    await db.destroy();
  });

  it('GIVEN an uncapped scope THEN no hold is taken and the settled cost is still counted with its ledger row', async () => {
    const { db, books } = await open(url());
    const scopes = scopesFor(origin, undefined, now);
    const hold = await createSpendGate(builtInPrices, books, scopes, booking).reserve(ref, req);
    expect(await books.balances([scopes[0]!.key])).toEqual([{ settled: 0, held: 0 }]);
    await hold.settle(call(null));
    await (await createSpendGate(builtInPrices, books, scopes, booking).reserve(ref, req)).settle(call(0.5));
    expect((await books.balances([scopes[0]!.key]))[0]).toEqual({ settled: 500_000_000, held: 0 });
    const usage = await createLedger(db).summarize('w', '2026-11-24', '2026-11-24');
    expect(usage.total).toMatchObject({ usd: 0.5, calls: 2, unpriced: 1 });
    await db.destroy();
  });

  it('GIVEN holds of a process that died THEN they are released once their lease runs out, and live holds are kept by the heartbeat', async () => {
    let t = now.getTime();
    const { db, books: dead } = await open(url(), () => t);
    const live = createBooks(db, { now: () => t });
    const scopes = scopesFor(origin, { workspaceUsd: 1 }, now);
    await createSpendGate(builtInPrices, dead, scopes, booking).reserve(ref, req);
    const kept = await createSpendGate(builtInPrices, live, scopes, booking).reserve(ref, req);
    const worst = Math.ceil(worstCaseUsd(builtInPrices, ref, req, booking.at)! * 1e9);
    t += HOLD_LEASE_MS / 2;
    await live.renewHolds();
    t += HOLD_LEASE_MS / 2 + 1;
    expect(await live.releaseExpiredHolds()).toBe(1);
    expect((await live.balances([scopes[0]!.key]))[0]).toEqual({ settled: 0, held: worst });
    await kept.settle(call(0.001));
    expect((await live.balances([scopes[0]!.key]))[0]).toEqual({ settled: 1_000_000, held: 0 });
    await db.destroy();
  });
});

describe('dedupe claims', () => {
  const backends: [string, () => Promise<AtomicOps>][] = [
    ['memory', async () => createMemoryAtomic()],
    ['sqlite', () => createSqliteAtomic(path.join(dir, `c-${Math.random()}.sqlite`))],
  ];
  it.each(backends)('GIVEN four concurrent claims on %s THEN exactly one wins', async (_n, make) => {
    const atomic = await make();
    const wins = await Promise.all([1, 2, 3, 4].map(() => atomic.claim('slack:event:Ev1', 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await atomic.close();
  });
});
