import { createManualClock, type ManualClock } from '../../src/shared/clock.ts';
import { VendorError } from '../../src/shared/errors.ts';
import type { KeyService, UsableKey } from '../../src/keys/key-service.ts';
import { createCooldowns } from '../../src/routing/cooldown.ts';
import { createExecutor } from '../../src/routing/executor.ts';
import type { WaitNotice } from '../../src/pacing/wait-notices.ts';
import { createPacer, type Pacer } from '../../src/pacing/pacer.ts';
import type { VendorLimits } from '../../src/pacing/pacer-limits.ts';
import { parseAnthropicRateLimits, parseOpenAIRateLimits } from '../../adapters/models/rate-limit-headers.ts';
import type { ModelRef } from '../../src/shared/types.ts';
import type { ModelProvider, ModelResult, Vendor } from '../../src/shared/provider-spec.ts';
import { goDuration, rfc3339After } from '../fakes/wire-util.ts';
import { builtInPrices } from './built-in-prices.ts';

/**
 * A vendor key's limit as a token bucket: it holds `capacity` requests and refills `perSecond` a
 * second. "4 per 1-second window" is capacity 4 refilling 4/s; "10 a minute" capacity 10 refilling 1/6 s.
 */
export interface LimitShape {
  capacity: number;
  perSecond: number;
}

export interface SimOptions {
  shape: LimitShape;
  vendors: readonly Vendor[];
  jobs: number;
  /** Time from a request's arrival (where the vendor counts it) to its response. */
  latencyMs: number;
  /** An admin's limits, per vendor. */
  overrides?: Partial<Record<Vendor, Partial<VendorLimits>>>;
  /** Spacing of the jobs' arrival (0: all at once, as a piped burst). */
  arrivalGapMs?: number;
}

/** What one simulated burst did, in virtual time. */
export interface SimRun {
  /** From the first arrival to the last answer. */
  ms: number;
  answered: number;
  failed: number;
  perVendor: Record<string, number>;
  /** 429s each vendor sent, and how many came after that vendor's first answered call. */
  refusals: Record<string, { total: number; afterFirst: number }>;
  /** Per vendor, the jobs in the order their calls began (job numbers). */
  starts: Record<string, number[]>;
  /** The order jobs finished in. */
  finished: number[];
  notices: { job: number; at: number; notice: WaitNotice }[];
  /** When each job's answered call began (virtual ms since the burst). */
  startedAt: number[];
}

const CHEAP: Record<Vendor, string> = { anthropic: 'claude-haiku-5-5', google: 'gemini-3.8-flash', openai: 'gpt-6-luna' };

/** One key's bucket, continuously refilled, as the vendors (and the project's fakes) keep it. */
function createLimiter(shape: LimitShape) {
  const rate = shape.perSecond / 1000;
  let level = shape.capacity;
  let at = 0;
  const refill = (now: number) => {
    level = Math.min(shape.capacity, level + (now - at) * rate);
    at = now;
  };
  return {
    admit(now: number): { ok: boolean; waitMs: number } {
      refill(now);
      if (level >= 1) {
        level -= 1;
        return { ok: true, waitMs: 0 };
      }
      return { ok: false, waitMs: Math.ceil((1 - level) / rate) };
    },
    state(now: number) {
      refill(now);
      return { limit: shape.capacity, remaining: Math.floor(level), resetMs: Math.ceil((shape.capacity - level) / rate) };
    },
  };
}

/** Headers exactly as each vendor writes them, read back by Hive's own parsers. */
function headersOf(vendor: Vendor, s: { limit: number; remaining: number; resetMs: number }, sentAt: number, arrived: number) {
  if (vendor === 'anthropic') {
    const h = new Map([
      ['anthropic-ratelimit-requests-limit', String(s.limit)],
      ['anthropic-ratelimit-requests-remaining', String(s.remaining)],
      ['anthropic-ratelimit-requests-reset', rfc3339After(sentAt, s.resetMs)],
    ]);
    return parseAnthropicRateLimits({ get: (n) => h.get(n) ?? null }, arrived);
  }
  if (vendor === 'openai') {
    const h = new Map([
      ['x-ratelimit-limit-requests', String(s.limit)],
      ['x-ratelimit-remaining-requests', String(s.remaining)],
      ['x-ratelimit-reset-requests', goDuration(s.resetMs)],
    ]);
    return parseOpenAIRateLimits({ get: (n) => h.get(n) ?? null });
  }
  return undefined; // Gemini sends no limit headers
}

/** A provider whose key is limited by `shape`; it counts a request when it arrives and answers `latencyMs` later. */
function simProvider(vendor: Vendor, shape: LimitShape, clock: ManualClock, o: SimOptions, seen: SimRun) {
  const limiter = createLimiter(shape);
  let answeredOnce = false;
  const provider: ModelProvider = {
    vendor,
    async generate(req) {
      const arrived = clock.now();
      const job = Number(/job (\d+)/.exec(String(req.messages.at(-1)?.content))?.[1]);
      (seen.starts[vendor] ??= []).push(job);
      const a = limiter.admit(arrived);
      const state = limiter.state(arrived);
      await clock.sleep(Math.min(o.latencyMs, a.ok ? o.latencyMs : 20));
      if (!a.ok) {
        const r = (seen.refusals[vendor] ??= { total: 0, afterFirst: 0 });
        r.total++;
        if (answeredOnce) r.afterFirst++;
        // Every vendor's 429 hint is in whole seconds (retry-after; Gemini's RetryInfo as the fakes send it).
        const retryAfterMs = Math.max(1, Math.ceil(a.waitMs / 1000)) * 1000;
        throw new VendorError({ vendor, kind: 'rate_limit', message: `${vendor} 429 rate limited`, status: 429, retryAfterMs });
      }
      answeredOnce = true;
      const rateLimit = headersOf(vendor, state, arrived, clock.now());
      const result: ModelResult = {
        vendor,
        model: CHEAP[vendor],
        text: `ok from ${vendor}`,
        usage: { inputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 3, reasoningTokens: 0 },
        finishReason: { unified: 'stop', raw: 'stop' },
        latencyMs: o.latencyMs,
        rawUsage: {},
        ...(rateLimit ? { rateLimit } : {}),
      };
      return result;
    },
    listModels: async () => [CHEAP[vendor]],
  };
  return provider;
}

const keysStub = { reportFailure: async () => undefined } as unknown as KeyService;

/**
 * Runs a burst of jobs through the real executor and pacer (the router's retry loop, paces and
 * learning) against simulated vendor keys on a manual clock: minutes of limits in milliseconds.
 */
export async function simulateBurst(o: SimOptions): Promise<SimRun & { pacer: Pacer }> {
  const clock = createManualClock(1_800_000_000_000);
  const t0 = clock.now();
  const seen: SimRun = { ms: 0, answered: 0, failed: 0, perVendor: {}, refusals: {}, starts: {}, finished: [], notices: [], startedAt: [] };
  const providers = Object.fromEntries(o.vendors.map((v) => [v, simProvider(v, o.shape, clock, o, seen)])) as Record<Vendor, ModelProvider>;
  const pacer = createPacer({ clock, overrides: (_ws, v) => o.overrides?.[v] });
  const execute = createExecutor({
    providers,
    catalogue: builtInPrices,
    pacer,
    cooldowns: createCooldowns(clock),
    keys: keysStub,
    clock,
    timeoutMs: 120_000,
    random: () => 0.5,
  });
  const keys = new Map<Vendor, UsableKey>(o.vendors.map((v) => [v, { vendor: v, key: `key-${v}`, source: 'env' }]));
  const candidates: ModelRef[] = o.vendors.map((v) => ({ vendor: v, model: CHEAP[v] }));
  let done = 0;
  const jobs = Array.from({ length: o.jobs }, async (_, n) => {
    if (o.arrivalGapMs) await clock.sleep(n * o.arrivalGapMs);
    try {
      const x = await execute({
        workspaceId: 'sim',
        candidates,
        pinned: false,
        request: { model: '', messages: [{ role: 'user', content: `question job ${n}` }], maxTokens: 256 },
        keys,
        onWait: (notice) => seen.notices.push({ job: n, at: clock.now() - t0, notice }),
      });
      seen.answered++;
      seen.perVendor[x.ref.vendor] = (seen.perVendor[x.ref.vendor] ?? 0) + 1;
      seen.startedAt[n] = x.calls.at(-1)!.startedAt ? Date.parse(x.calls.at(-1)!.startedAt) - t0 : NaN;
    } catch {
      seen.failed++;
    } finally {
      seen.finished.push(n);
      done++;
    }
  });
  while (done < o.jobs) if (!(await clock.runNext())) await new Promise((r) => setImmediate(r));
  await Promise.all(jobs);
  seen.ms = clock.now() - t0;
  return { ...seen, pacer };
}

/** The fastest a burst can go: each key's capacity at once, then its refill (summed over the keys). */
export function idealMs(o: Pick<SimOptions, 'shape' | 'jobs' | 'latencyMs'>, keys: number): number {
  const beyond = Math.max(0, o.jobs - o.shape.capacity * keys);
  return (beyond / (o.shape.perSecond * keys)) * 1000 + o.latencyMs;
}
