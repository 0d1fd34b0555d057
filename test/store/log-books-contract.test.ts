import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createBooks, HOLD_LEASE_MS, type ScopeLimit } from '../../src/money/books.ts';
import { ledgerRow, opener, suiteBackends } from './log-fixtures.ts';

describe.each(suiteBackends())('books contract on $name', (backend) => {
  const open = opener(backend);

  it('GIVEN holds, settlements and releases THEN balances follow them, all or nothing, never below zero', async () => {
    const db = await open();
    const books = createBooks(db);
    const scopes: ScopeLimit[] = [{ key: 'ws', capNano: 1000 }, { key: 'u' }];
    const first = await books.hold(scopes, 600);
    expect(first).toHaveProperty('id');
    expect(await books.hold(scopes, 600)).toEqual({ refusedBy: 'ws' });
    expect(await books.balances(['ws', 'u', 'none'])).toEqual([
      { settled: 0, held: 600 },
      { settled: 0, held: 600 }, // the refused hold left the uncapped scope alone
      { settled: 0, held: 0 },
    ]);
    await books.settle({ holdId: (first as { id: string }).id, keys: ['ws', 'u'], costNano: 450, row: ledgerRow({ cost_nano: 450 }) });
    expect(await books.balances(['ws', 'u'])).toEqual([
      { settled: 450, held: 0 },
      { settled: 450, held: 0 },
    ]);
    expect(await books.hold(scopes, 551)).toEqual({ refusedBy: 'ws' });
    const second = (await books.hold(scopes, 550)) as { id: string };
    await books.release(second.id);
    await books.release(second.id); // twice: the second finds nothing
    expect(await books.balances(['ws'])).toEqual([{ settled: 450, held: 0 }]);
    // A counter that holds less than a hold being released (a counter reset by hand) stops at zero.
    await db.updateTable('budget_counters').set({ held: 100 }).where('key', '=', 'u').execute();
    await db.insertInto('budget_holds').values({ id: 'h', owner: 'x', amount: 600, keys: '["u"]', expires_at: 0 }).execute();
    await books.release('h');
    expect(await books.balances(['u'])).toEqual([{ settled: 450, held: 0 }]);
    const counters = await db.selectFrom('budget_counters').selectAll().execute();
    const ledger = await db.selectFrom('ledger').selectAll().execute();
    for (const v of [...counters.flatMap((c) => [c.settled, c.held]), ledger[0]!.id, ledger[0]!.at, ledger[0]!.cost_nano]) expect(typeof v).toBe('number');
  });

  it('GIVEN 200 concurrent holds against one cap THEN exactly the holds that fit are granted, per scope too', async () => {
    const db = await open();
    const books = createBooks(db);
    const scopesOf = (i: number): ScopeLimit[] => [{ key: 'ws', capNano: 20_500 }, { key: `ws|c|C${i % 3}` }, { key: `ws|u|U${i % 4}`, capNano: 6_000 }];
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => books.hold(scopesOf(i), 1000)));
    expect(results.filter((r) => 'id' in r)).toHaveLength(20);
    const [ws, ...users] = await books.balances(['ws', 'ws|u|U0', 'ws|u|U1', 'ws|u|U2', 'ws|u|U3']);
    expect(ws).toEqual({ settled: 0, held: 20_000 });
    for (const u of users) expect(u!.held).toBeLessThanOrEqual(6_000);
    expect(users.reduce((s, u) => s + u!.held, 0)).toBe(20_000);
  });

  it('GIVEN 200 concurrent calls that hold, then settle, THEN spend never passes the cap and the books agree at the end', async () => {
    const db = await open();
    const books = createBooks(db);
    const cap = 50_000;
    const keysOf = (i: number) => ['ws', `ws|c|C${i % 3}`, `ws|u|U${i % 5}`];
    let peak = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const keys = keysOf(i);
        const hold = await books.hold([{ key: 'ws', capNano: cap }, { key: keys[1]! }, { key: keys[2]! }], 1000);
        if (!('id' in hold)) return 0;
        const [b] = await books.balances(['ws']);
        peak = Math.max(peak, b!.settled + b!.held);
        const cost = i % 2 === 0 ? 1000 : 250;
        await books.settle({ holdId: hold.id, keys, costNano: cost, row: ledgerRow({ cost_nano: cost, evidence_id: `E${i}` }) });
        return cost;
      }),
    );
    const spent = outcomes.reduce<number>((s, c) => s + c, 0);
    expect(peak).toBeLessThanOrEqual(cap);
    expect(await books.balances(['ws'])).toEqual([{ settled: spent, held: 0 }]);
    expect(spent).toBeLessThanOrEqual(cap);
    expect(outcomes.filter((c) => c > 0).length).toBeGreaterThanOrEqual(50);
    const booked = await db
      .selectFrom('ledger')
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(cost_nano)`.as('nano')])
      .executeTakeFirstOrThrow();
    expect(booked).toEqual({ n: outcomes.filter((c) => c > 0).length, nano: spent });
    expect(await db.selectFrom('budget_holds').select('id').execute()).toEqual([]);
  });

  it('GIVEN two processes booking groups of answers over shared scopes in every order, with holds between THEN none fails and the books agree', async () => {
    const url = await backend.url();
    // Two pools on PostgreSQL; SQLite's one writer is shared by both books (a second connection in the
    // same process would wait synchronously for the first one's lock, blocking the thread that holds it).
    const a = await open(url);
    const b = backend.name === 'postgres' ? await open(url) : a;
    const books = [createBooks(a), createBooks(b)];
    const scopes = ['s|a', 's|b', 's|c', 's|d'];
    // Each booking names the scopes in a different order; holds take them too, with a cap on one.
    const keysOf = (i: number) => [...scopes.slice(i % 4), ...scopes.slice(0, i % 4)].reverse().slice(0, 2 + (i % 3));
    const results = await Promise.allSettled(
      Array.from({ length: 240 }, async (_, i) => {
        const mine = books[i % 2]!;
        const keys = keysOf(i);
        const hold = i % 3 === 0 ? await mine.hold([{ key: keys[0]!, capNano: 1e12 }, ...keys.slice(1).map((key) => ({ key }))], 7) : undefined;
        const holdId = hold && 'id' in hold ? hold.id : undefined;
        await mine.commit([{ ...(holdId ? { holdId } : {}), keys, costNano: 3, row: ledgerRow({ cost_nano: 3, evidence_id: `G${i}` }) }]);
        return keys;
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const expected = new Map(scopes.map((k) => [k, 0]));
    for (const r of results) if (r.status === 'fulfilled') for (const k of new Set(r.value)) expected.set(k, expected.get(k)! + 3);
    expect(await books[0]!.balances(scopes)).toEqual(scopes.map((k) => ({ settled: expected.get(k), held: 0 })));
  });

  it("GIVEN a dead process's holds THEN they are released when their lease runs out, and a live process's are renewed", async () => {
    const db = await open();
    let t = 1_000_000;
    const dead = createBooks(db, { owner: 'dead', now: () => t });
    const live = createBooks(db, { owner: 'live', now: () => t });
    await dead.hold([{ key: 'ws', capNano: 10_000 }], 4000);
    await live.hold([{ key: 'ws', capNano: 10_000 }], 3000);
    t += HOLD_LEASE_MS / 2;
    await live.renewHolds();
    t += HOLD_LEASE_MS / 2 + 1;
    expect(await live.releaseExpiredHolds()).toBe(1);
    expect(await live.balances(['ws'])).toEqual([{ settled: 0, held: 3000 }]);
    expect(await live.releaseExpiredHolds()).toBe(0);
    t += HOLD_LEASE_MS;
    expect(await dead.releaseExpiredHolds()).toBe(1);
    expect(await live.balances(['ws'])).toEqual([{ settled: 0, held: 0 }]);
  });
});
