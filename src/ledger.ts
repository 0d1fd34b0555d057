import type Keyv from 'keyv';
import { createKeyedMutex } from './mutex.ts';
import type { Usage, Vendor } from './types.ts';
import type { WriteBehind } from './write-behind.ts';

/** One priced call, as the ledger records it. */
export interface LedgerEntry {
  at: Date;
  workspaceId: string;
  channelId: string;
  userId: string;
  vendor: Vendor;
  model: string;
  usage: Usage;
  /** `null` when the model has no price. */
  costUsd: number | null;
}

export interface Bucket {
  usd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Calls whose cost is unknown (no price); their dollars are missing from `usd`. */
  unpriced: number;
}

export interface UsageSummary {
  from: string;
  to: string;
  total: Bucket;
  byModel: Record<string, Bucket>;
  byVendor: Record<string, Bucket>;
  byUser: Record<string, Bucket>;
  byChannel: Record<string, Bucket>;
}

type DayDoc = Omit<UsageSummary, 'from' | 'to'>;

/** Spend per workspace and day, broken down by model, vendor, user and channel. */
export interface Ledger {
  record(e: LedgerEntry): Promise<void>;
  summarize(workspaceId: string, fromDay: string, toDay: string): Promise<UsageSummary>;
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

const emptyBucket = (): Bucket => ({ usd: 0, calls: 0, inputTokens: 0, outputTokens: 0, unpriced: 0 });
const emptyDoc = (): DayDoc => ({ total: emptyBucket(), byModel: {}, byVendor: {}, byUser: {}, byChannel: {} });

function add(b: Bucket, x: Bucket): void {
  b.usd += x.usd;
  b.calls += x.calls;
  b.inputTokens += x.inputTokens;
  b.outputTokens += x.outputTokens;
  b.unpriced += x.unpriced;
}

function addTo(map: Record<string, Bucket>, key: string, x: Bucket): void {
  add((map[key] ??= emptyBucket()), x);
}

function mergeDoc(into: DayDoc, doc: DayDoc): void {
  add(into.total, doc.total);
  for (const k of ['byModel', 'byVendor', 'byUser', 'byChannel'] as const) {
    for (const [name, b] of Object.entries(doc[k])) addTo(into[k], name, b);
  }
}

/** Creates the ledger; day documents are updated under a per-key lock so no write is lost. */
export function createLedger(store: Keyv<DayDoc>, writes?: WriteBehind): Ledger {
  const mutex = createKeyedMutex();
  const ledger: Ledger = {
    async record(e) {
      if (writes) return void writes.run('ledger', () => book(e));
      await book(e);
    },
    async summarize(ws, fromDay, toDay) {
      await writes?.flush();
      const out: UsageSummary = { from: fromDay, to: toDay, ...emptyDoc() };
      const days = daysBetween(fromDay, toDay);
      const docs = await Promise.all(days.map((d) => store.get(`${ws}|${d}`)));
      for (const doc of docs) if (doc) mergeDoc(out, doc);
      return out;
    },
  };
  return ledger;

  async function book(e: LedgerEntry): Promise<void> {
    const key = `${e.workspaceId}|${dayOf(e.at)}`;
    const x: Bucket = {
      usd: e.costUsd ?? 0,
      calls: 1,
      inputTokens: e.usage.inputTokens,
      outputTokens: e.usage.outputTokens,
      unpriced: e.costUsd === null ? 1 : 0,
    };
    await mutex.run(key, async () => {
      const doc = (await store.get(key)) ?? emptyDoc();
      mergeDoc(doc, {
        total: x,
        byModel: { [`${e.vendor}:${e.model}`]: x },
        byVendor: { [e.vendor]: x },
        byUser: { [e.userId]: x },
        byChannel: { [e.channelId]: x },
      });
      await store.set(key, doc);
    });
  }
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(dayOf(new Date(t)));
  }
  return out;
}

/** The UTC day range of a named period ending today. */
export function periodRange(period: 'day' | 'week' | 'month', now: Date): { from: string; to: string } {
  const to = dayOf(now);
  if (period === 'day') return { from: to, to };
  if (period === 'week') return { from: dayOf(new Date(now.getTime() - 6 * 86_400_000)), to };
  return { from: `${to.slice(0, 7)}-01`, to };
}
