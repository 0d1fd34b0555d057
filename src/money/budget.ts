import type { Books, LogWrite, Settlement } from './books.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { worstCaseUsd } from './usage-math.ts';
import { callStart, ledgerRow, type Booking, type BudgetOrigin } from './booking-rows.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { UserError } from '../shared/errors.ts';
import type { SpendGate } from './spend-gate.ts';
import type { BudgetSettings } from '../settings/settings.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ModelRequest } from '../shared/provider-spec.ts';
import { formatUsd } from './footer.ts';

export type { Booking, BudgetOrigin } from './booking-rows.ts';

const NANO = 1e9;
const toNano = (usd: number) => Math.round(usd * NANO);

/** One capped scope of spend this month. */
export interface BudgetScope {
  name: 'workspace' | 'channel' | 'user' | 'digest';
  key: string;
  capUsd: number | undefined;
  /** Command an admin runs to raise it. */
  raiseWith: string;
}

export interface ScopeStatus extends BudgetScope {
  /** Settled by finished calls this month: the same dollars `/hive usage` adds up. */
  spentUsd: number;
  /** Held for calls in flight (their worst case), released as they settle. */
  heldUsd: number;
}

/** Monthly scopes that apply to a job, in the order they are reserved. */
export function scopesFor(o: BudgetOrigin, b: BudgetSettings | undefined, now: Date): BudgetScope[] {
  const month = now.toISOString().slice(0, 7);
  const base = `spend|${o.workspaceId}|${month}`;
  return [
    { name: 'workspace', key: base, capUsd: b?.workspaceUsd, raiseWith: '/hive budget workspace <usd>' },
    { name: 'channel', key: `${base}|c|${o.channelId}`, capUsd: b?.channels?.[o.channelId] ?? b?.perChannelUsd, raiseWith: '/hive budget channel <usd>' },
    { name: 'user', key: `${base}|u|${o.userId}`, capUsd: b?.users?.[o.userId] ?? b?.perUserUsd, raiseWith: '/hive budget user <user> <usd>' },
  ];
}

/** Settled and held dollars of each scope. */
export async function scopeStatus(books: Books, scopes: BudgetScope[]): Promise<ScopeStatus[]> {
  const balances = await books.balances(scopes.map((s) => s.key));
  return scopes.map((s, i) => ({ ...s, spentUsd: balances[i]!.settled / NANO, heldUsd: balances[i]!.held / NANO }));
}

/** A job's spend gate that can keep the answering call's booking for the job's final transaction. */
export interface JobSpendGate extends SpendGate {
  /** Commits the settlements kept back, with `also` (the evidence record), in one transaction. */
  commit(also?: LogWrite): Promise<void>;
  /** The same gate booking its calls under another lane and rule: a job that moved on (cheap first escalated). */
  routed(to: Required<Pick<Booking, 'lane' | 'route'>>): JobSpendGate;
}

/**
 * Holds each call's worst case against every scope atomically before dispatch (only when some
 * scope has a cap) and settles the real cost after, with the call's ledger row in the same
 * transaction: concurrent jobs can never push recorded spend past a cap, and a crash never leaves
 * the ledger and the counters apart. With `deferAnswered`, a call that answered is settled by
 * `commit` together with the job's evidence, so the answer waits for one commit; failed calls
 * (retries, fallbacks) are still booked the moment they end.
 */
export function createSpendGate(
  catalogue: PriceCatalogue,
  books: Books,
  scopes: BudgetScope[],
  booking: Booking,
  opts: { deferAnswered?: boolean } = {},
): JobSpendGate {
  const keys = scopes.map((s) => s.key);
  const kept: Settlement[] = [];
  const gateFor = (booking: Booking): JobSpendGate => ({
    routed: (to) => gateFor({ ...booking, ...to }),
    async commit(also) {
      const batch = kept.splice(0);
      if (batch.length > 0 || also) await books.commit(batch, also);
    },
    async reserve(ref: ModelRef, req: ModelRequest, fileTokens = 0) {
      const capped = scopes.some((s) => s.capUsd !== undefined);
      const worst = capped ? worstCaseUsd(catalogue, ref, req, booking.at, fileTokens) : 0;
      if (worst === undefined && capped) {
        throw new UserError(
          `${ref.vendor}:${ref.model} has no known price, so a budget cannot be enforced for it. Use a priced model (see /hive models).`,
          'budget_unpriced',
        );
      }
      // Without a cap there is nothing to protect: no hold, the real cost is counted when it settles.
      const holdId = capped ? await holdWithinCaps(books, scopes, Math.ceil((worst ?? 0) * NANO), worst ?? 0) : undefined;
      let done = false;
      let startId: string | undefined;
      return {
        async start(granted) {
          startId = await books.startCall(callStart(catalogue, booking, keys, holdId, granted, { req, fileTokens }));
        },
        async settle(call: CallRecord) {
          if (done) return;
          done = true;
          const costNano = toNano(call.costUsd ?? 0);
          const s: Settlement = {
            ...(holdId ? { holdId } : {}),
            ...(startId ? { startId } : {}),
            keys,
            costNano,
            ...(call.usage ? { row: ledgerRow(booking, call, call.usage) } : {}),
          };
          if (opts.deferAnswered && call.outcome === 'ok') kept.push(s);
          else await books.settle(s);
        },
        async release() {
          if (done) return;
          done = true;
          if (holdId) await books.release(holdId);
        },
      };
    },
  });
  return gateFor(booking);
}

/** Holds against every scope at once; a refusal names the scope that is full. */
async function holdWithinCaps(books: Books, scopes: BudgetScope[], n: number, worstUsd: number): Promise<string> {
  const r = await books.hold(
    scopes.map((s) => ({ key: s.key, ...(s.capUsd === undefined ? {} : { capNano: toNano(s.capUsd) }) })),
    n,
  );
  if ('id' in r) return r.id;
  const full = scopes.find((s) => s.key === r.refusedBy) ?? scopes[0]!;
  throw await refusal(books, full, worstUsd);
}

async function refusal(books: Books, s: BudgetScope, worst: number): Promise<UserError> {
  const [b] = await books.balances([s.key]);
  const spent = (b?.settled ?? 0) / NANO;
  const held = (b?.held ?? 0) / NANO;
  const inFlight = held > 0 ? ` (plus ${formatUsd(held)} held for unfinished calls)` : '';
  return new UserError(
    `The ${s.name} budget for this month is reached: ${formatUsd(spent)} of ${formatUsd(s.capUsd ?? 0)} spent${inFlight}, and this call could cost up to ${formatUsd(worst)}. A workspace admin can raise it with \`${s.raiseWith}\`.`,
    'budget_exceeded',
  );
}
