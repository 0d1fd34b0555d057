import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryAtomic, type AtomicOps } from '../../src/atomic.ts';
import { createSqliteAtomic } from '../../src/atomic-sqlite.ts';
import { createSpendGate, scopesFor, worstCaseUsd } from '../../src/budget.ts';
import { UserError } from '../../src/errors.ts';
import type { ModelRef, ModelRequest } from '../../src/types.ts';

const ref: ModelRef = { vendor: 'openai', model: 'gpt-4o-mini' };
const req: ModelRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], maxTokens: 1000 };
const origin = { workspaceId: 'w', channelId: 'C1', userId: 'U1' };
const now = new Date('2026-11-24T12:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-budget-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const backends: [string, () => Promise<AtomicOps>][] = [
  ['memory', async () => createMemoryAtomic()],
  ['sqlite', () => createSqliteAtomic(path.join(dir, `b-${Math.random()}.sqlite`))],
];

describe.each(backends)('budget reservations on %s', (_name, make) => {
  it('GIVEN 200 concurrent calls against a small cap THEN recorded spend never passes the cap', async () => {
    const atomic = await make();
    const worst = worstCaseUsd(ref, req)!;
    const cap = worst * 20.5; // room for 20 worst cases
    const scopes = scopesFor(origin, { workspaceUsd: cap }, now);
    const gate = createSpendGate(atomic, scopes);
    let refused = 0;
    let maxSeen = 0;
    const jobs = Array.from({ length: 200 }, async (_, i) => {
      try {
        const hold = await gate.reserve(ref, req);
        maxSeen = Math.max(maxSeen, await atomic.read(scopes[0]!.key));
        await new Promise((r) => setImmediate(r));
        await hold.settle(worst * (i % 2 === 0 ? 1 : 0.25)); // actual ≤ worst case
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        refused++;
      }
    });
    await Promise.all(jobs);
    const spent = (await atomic.read(scopes[0]!.key)) / 1e9;
    expect(spent).toBeLessThanOrEqual(cap);
    expect(maxSeen / 1e9).toBeLessThanOrEqual(cap);
    expect(refused).toBeGreaterThan(0);
    expect(200 - refused).toBeGreaterThanOrEqual(20);
    await atomic.close();
  });

  it('GIVEN a user cap that refuses THEN the workspace reservation is rolled back and the message names the budget', async () => {
    const atomic = await make();
    const scopes = scopesFor(origin, { workspaceUsd: 10, users: { U1: 0.000001 } }, now);
    const gate = createSpendGate(atomic, scopes);
    await expect(gate.reserve(ref, req)).rejects.toThrow(/user budget for this month is reached[\s\S]*\/hive budget user/);
    expect(await atomic.read(scopes[0]!.key)).toBe(0);
    await atomic.close();
  });

  it('GIVEN a settled call THEN spend equals the actual cost, not the reservation', async () => {
    const atomic = await make();
    const scopes = scopesFor(origin, { workspaceUsd: 1 }, now);
    const hold = await createSpendGate(atomic, scopes).reserve(ref, req);
    await hold.settle(0.000123);
    expect(await atomic.read(scopes[0]!.key)).toBe(123_000);
    expect(await atomic.read(scopes[2]!.key)).toBe(123_000);
    await atomic.close();
  });
});

describe('dedupe claims', () => {
  it.each(backends)('GIVEN four concurrent claims on %s THEN exactly one wins', async (_n, make) => {
    const atomic = await make();
    const wins = await Promise.all([1, 2, 3, 4].map(() => atomic.claim('slack:event:Ev1', 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await atomic.close();
  });
});
