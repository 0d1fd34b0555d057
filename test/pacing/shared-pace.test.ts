import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { createPacer, PacerBusyError, PacerFullError, type Pacer, type PacerTicket } from '../../src/pacing/pacer.ts';
import type { VendorLimits } from '../../src/pacing/pacer-limits.ts';
import { SHARED_POLL_MS } from '../../src/pacing/pacer-shared.ts';
import type { SharedPace } from '../../src/pacing/shared-pace.ts';
import { createMemorySharedPace } from '../../src/pacing/shared-pace-memory.ts';

const small = { inputTokens: 10, outputTokens: 10 };
const LEASE_MS = 10_000;

/** Only these limits enforced (the vendor's other default buckets off). */
const only = (l: Partial<VendorLimits>) => () => ({ concurrency: 10, itpm: undefined, otpm: undefined, tpm: undefined, ...l });

/** Two worker processes: each its own pacer, one shared pace (one Redis) and, in a test, one clock. */
function twoWorkers(limits: Partial<VendorLimits>, shared: SharedPace = createMemorySharedPace({ leaseMs: LEASE_MS })) {
  const clock = createManualClock();
  const make = () => createPacer({ clock, shared, overrides: only(limits) });
  return { clock, shared, a: make(), b: make() };
}

/** Asks `n` slots of `pacer`, releasing each at once with `used`; `granted` counts them. */
function burst(pacer: Pacer, n: number, granted: { n: number }, used = small, vendor: 'openai' | 'anthropic' = 'anthropic') {
  return Array.from({ length: n }, () =>
    pacer.acquire('w', vendor, small).then((t) => {
      granted.n++;
      t.release(used);
    }),
  );
}

/** A shared pace that counts the leases it handed out and those settled. */
function counted(inner: SharedPace) {
  const leases = { admitted: 0, settled: 0 };
  const pace: SharedPace = {
    admit: async (...a) => {
      const r = await inner.admit(...a);
      if (r.ok) leases.admitted++;
      return r;
    },
    settle: (...a) => (leases.settled++, inner.settle(...a)),
    pause: (...a) => inner.pause(...a),
    close: () => inner.close(),
  };
  return { pace, leases };
}

describe('pacing shared by several processes', () => {
  it('GIVEN two workers without a shared pace THEN each spends the whole limit (why the pace is shared)', async () => {
    const clock = createManualClock();
    const granted = { n: 0 };
    const [a, b] = [createPacer({ clock, overrides: only({ rpm: 4 }) }), createPacer({ clock, overrides: only({ rpm: 4 }) })];
    const all = [...burst(a, 6, granted), ...burst(b, 6, granted)];
    await clock.advance(0);
    expect(granted.n).toBe(8);
    await clock.advance(60_000);
    await Promise.all(all);
  });

  it('GIVEN two workers over one shared pace THEN together they stay within the requests per minute', async () => {
    const { clock, a, b } = twoWorkers({ rpm: 4 });
    const granted = { n: 0 };
    const all = [...burst(a, 6, granted), ...burst(b, 6, granted)];
    await clock.advance(0);
    expect(granted.n).toBe(4);
    for (let t = 15_000; t <= 120_000; t += 15_000) {
      await clock.advance(14_999);
      expect(granted.n).toBe(4 + t / 15_000 - 1);
      await clock.advance(1);
      expect(granted.n).toBe(Math.min(12, 4 + t / 15_000));
    }
    await Promise.all(all);
  });

  it('GIVEN a tokens-per-minute limit THEN together they stay within it, and refunds of unused tokens count for both', async () => {
    const { clock, a, b } = twoWorkers({ rpm: 1000, tpm: 100 });
    const granted = { n: 0 };
    // Each call reserves 20 tokens: 5 fit in the minute's 100, whoever asks.
    const held: PacerTicket[] = [];
    const take = (p: Pacer) => p.acquire('w', 'openai', small).then((t) => (granted.n++, held.push(t)));
    const asks = [a, b, a, b, a, b, a].map(take);
    await clock.advance(0);
    expect(granted.n).toBe(5);
    // Three calls used only 2 tokens of their 20: 54 tokens come back, room for two more at once.
    for (const t of held.splice(0, 3)) t.release({ inputTokens: 1, outputTokens: 1 });
    await clock.advance(SHARED_POLL_MS);
    expect(granted.n).toBe(7);
    for (const t of held.splice(0)) t.release(small);
    await Promise.all(asks);
  });

  it('GIVEN a concurrency cap THEN calls in flight in both workers together stay under it', async () => {
    const { clock, a, b } = twoWorkers({ rpm: 1000, concurrency: 2 });
    const [t1, t2] = [await a.acquire('w', 'openai', small), await b.acquire('w', 'openai', small)];
    let third: PacerTicket | undefined;
    const p = a.acquire('w', 'openai', small).then((t) => (third = t));
    await clock.advance(5 * SHARED_POLL_MS);
    expect(third).toBeUndefined();
    t2.release(small); // the other worker's call ends: its lease is free, and the waiter polls it within SHARED_POLL_MS
    await clock.advance(SHARED_POLL_MS);
    expect(third).toBeDefined();
    t1.release(small);
    (await p).release(small);
  });

  it('GIVEN one worker hears a 429 THEN the other waits out its pause too, and short waiters there are let go', async () => {
    const { clock, a, b } = twoWorkers({ rpm: 60 });
    a.pause('w', 'anthropic', 5_000, { fromVendor: true });
    await clock.advance(0);
    let got = false;
    const p = b.acquire('w', 'anthropic', small).then((t) => ((got = true), t));
    const busy = b.acquire('w', 'anthropic', small, { maxWaitMs: 1_000 });
    const late = b.acquire('w', 'anthropic', small, { deadline: 2_000 }).catch((e: unknown) => e);
    await expect(busy).rejects.toBeInstanceOf(PacerBusyError);
    expect(await late).toBeInstanceOf(PacerFullError);
    expect(b.headroom('w', 'anthropic', small)).toBe(0);
    await clock.advance(4_999);
    expect(got).toBe(false);
    await clock.advance(1);
    expect(got).toBe(true);
    (await p).release(small);
  });

  it('GIVEN a worker is killed with calls in flight THEN their leases expire and the other worker takes the places', async () => {
    const { clock, a, b } = twoWorkers({ rpm: 1000, concurrency: 1 });
    await a.acquire('w', 'openai', small); // never released: the process died
    let got = false;
    const p = b.acquire('w', 'openai', small).then((t) => ((got = true), t));
    await clock.advance(LEASE_MS - 1);
    expect(got).toBe(false);
    await clock.advance(SHARED_POLL_MS);
    expect(got).toBe(true);
    (await p).release(small);
  });

  it('GIVEN a job waits in two paces THEN the first admitted takes it, in order, and every lease is settled once', async () => {
    const { pace, leases } = counted(createMemorySharedPace({ leaseMs: LEASE_MS }));
    const { clock, a, b } = twoWorkers({ rpm: 2 }, pace);
    const held = [await a.acquire('w', 'openai', small), await a.acquire('w', 'openai', small)];
    const order: string[] = [];
    const jobs = ['first', 'second', 'third'].map((name) =>
      b.acquireAny('w', ['openai', 'anthropic'], small).then((g) => (order.push(`${name}:${g.vendor}`), g.ticket)),
    );
    await clock.advance(0);
    expect(order).toEqual(['first:anthropic', 'second:anthropic']); // openai is spent by the other worker
    await clock.advance(30_000);
    expect(order).toHaveLength(3);
    for (const t of [...held, ...(await Promise.all(jobs))]) t.release(small);
    await clock.advance(0);
    expect(leases.settled).toBe(leases.admitted);
  });

  it('GIVEN one worker THEN a shared pace starts its calls at the same moments as pacing alone', async () => {
    const timeline = async (shared?: SharedPace) => {
      const clock = createManualClock();
      const pacer = createPacer({ clock, ...(shared ? { shared } : {}) }); // limits unset: probed, then learned from headers
      const starts: number[] = [];
      const calls = Array.from({ length: 12 }, (_, i) =>
        pacer.acquire('w', 'openai', small).then((t) => {
          starts.push(clock.now());
          t.release(small, i === 5 ? { requests: { limit: 6, remaining: 2, resetMs: 20_000 } } : undefined);
        }),
      );
      for (let i = 0; i < 40 && starts.length < 12; i++) {
        if (i === 1) pacer.pause('w', 'openai', 7_000, { fromVendor: true, sentAt: clock.now() - 100 }); // a 429, said while calls wait
        await clock.advance(5_000);
      }
      await Promise.all(calls);
      return starts;
    };
    const alone = await timeline();
    expect(alone).toHaveLength(12);
    expect(await timeline(createMemorySharedPace({ leaseMs: LEASE_MS }))).toEqual(alone);
  });

  it('GIVEN the shared pace is unreachable THEN the pace runs by itself and says so', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    const down: SharedPace = {
      admit: () => Promise.reject(new Error('connection refused')),
      settle: () => Promise.reject(new Error('connection refused')),
      pause: () => Promise.reject(new Error('connection refused')),
      close: async () => undefined,
    };
    const pacer = createPacer({ clock, shared: down, onSharedError: (e) => errors.push(e), overrides: only({ rpm: 2 }) });
    const granted = { n: 0 };
    const all = burst(pacer, 3, granted);
    await clock.advance(0);
    expect(granted.n).toBe(2);
    expect(errors.length).toBeGreaterThan(0);
    await clock.advance(30_000);
    await Promise.all(all);
  });

  it('GIVEN Redis goes away while calls are in flight THEN their leases are freed once it is back, not minutes later when they expire', async () => {
    const clock = createManualClock();
    const memory = createMemorySharedPace({ leaseMs: 600_000 });
    let away = false;
    const flaky: SharedPace = {
      admit: (...a) => (away ? Promise.reject(new Error('connect ECONNREFUSED')) : memory.admit(...a)),
      settle: (...a) => (away ? Promise.reject(new Error('connect ECONNREFUSED')) : memory.settle(...a)),
      pause: (...a) => memory.pause(...a),
      close: async () => undefined,
    };
    const limits = only({ concurrency: 1 });
    const a = createPacer({ clock, shared: flaky, overrides: limits, onSharedError: () => undefined });
    const acquiring = a.acquire('w', 'anthropic', small);
    await clock.advance(0);
    const ticket = await acquiring;
    away = true; // the call ends while Redis is away: its settle fails
    ticket.release(small);
    await clock.advance(3_000);
    away = false;
    await clock.advance(10_000);
    // Another process finds the one place free: the lease was settled after all.
    const b = createPacer({ clock, shared: memory, overrides: limits });
    const granted = { n: 0 };
    const calls = burst(b, 1, granted);
    await clock.advance(0);
    expect(granted.n).toBe(1);
    await Promise.all(calls);
  });
});
