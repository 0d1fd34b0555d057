import type { AtomicOps } from './atomic.ts';
import { computeCost } from './cost.ts';
import { UserError } from './errors.ts';
import type { SpendGate } from './executor.ts';
import type { BudgetSettings } from './settings.ts';
import type { ModelRef, ModelRequest } from './types.ts';
import { ZERO_USAGE } from './types.ts';
import { formatUsd } from './footer.ts';

const NANO = 1e9;
const toNano = (usd: number) => Math.round(usd * NANO);

/** One capped scope of spend this month. */
export interface BudgetScope {
  name: 'workspace' | 'channel' | 'user';
  key: string;
  capUsd: number | undefined;
  /** Command an admin runs to raise it. */
  raiseWith: string;
}

export interface ScopeStatus extends BudgetScope {
  spentUsd: number;
}

export interface BudgetOrigin {
  workspaceId: string;
  channelId: string;
  userId: string;
}

/** The worst a call can cost: every input byte a token, and the full max_tokens of output. */
export function worstCaseUsd(ref: ModelRef, req: ModelRequest): number | undefined {
  const inputBytes = Buffer.byteLength(req.system ?? '') + req.messages.reduce((n, m) => n + Buffer.byteLength(m.content) + 8, 0);
  const cost = computeCost(ref.vendor, ref.model, { ...ZERO_USAGE, inputTokens: inputBytes, outputTokens: req.maxTokens });
  return cost?.usd;
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

/** Spent-or-reserved dollars of each scope. */
export async function scopeStatus(atomic: AtomicOps, scopes: BudgetScope[]): Promise<ScopeStatus[]> {
  return Promise.all(scopes.map(async (s) => ({ ...s, spentUsd: (await atomic.read(s.key)) / NANO })));
}

/**
 * Reserves each call's worst case against every scope atomically before dispatch and settles the
 * real cost after, so concurrent jobs can never push recorded spend past a cap.
 */
export function createSpendGate(atomic: AtomicOps, scopes: BudgetScope[]): SpendGate {
  return {
    async reserve(ref: ModelRef, req: ModelRequest) {
      const capped = scopes.some((s) => s.capUsd !== undefined);
      const worst = capped ? worstCaseUsd(ref, req) : 0;
      if (worst === undefined && capped) {
        throw new UserError(`${ref.vendor}:${ref.model} has no known price, so a budget cannot be enforced for it. Use a priced model (see /hive models).`, 'budget_unpriced');
      }
      // Without a cap there is nothing to protect: skip the reservation, count the real cost after.
      const n = capped ? Math.ceil((worst ?? 0) * NANO) : 0;
      if (capped) await reserveWithinCaps(atomic, scopes, n, worst ?? 0);
      let settled = false;
      return {
        async settle(actualUsd: number | null) {
          if (settled) return;
          settled = true;
          const delta = toNano(actualUsd ?? 0) - n;
          if (delta !== 0) await atomic.addMany(scopes.map((s) => [s.key, delta]));
        },
      };
    },
  };
}

/** Reserves scope by scope; the first refusal rolls back the ones already taken. */
async function reserveWithinCaps(atomic: AtomicOps, scopes: BudgetScope[], n: number, worstUsd: number): Promise<void> {
  const done: BudgetScope[] = [];
  for (const s of scopes) {
    const ok = await atomic.addWithin(s.key, n, s.capUsd === undefined ? undefined : toNano(s.capUsd));
    if (ok === undefined) {
      await atomic.addMany(done.map((d) => [d.key, -n]));
      throw await refusal(atomic, s, worstUsd);
    }
    done.push(s);
  }
}

async function refusal(atomic: AtomicOps, s: BudgetScope, worst: number): Promise<UserError> {
  const spent = (await atomic.read(s.key)) / NANO;
  return new UserError(
    `The ${s.name} budget for this month is reached: ${formatUsd(spent)} of ${formatUsd(s.capUsd ?? 0)} spent or in flight, and this call could cost up to ${formatUsd(worst)}. A workspace admin can raise it with \`${s.raiseWith}\`.`,
    'budget_exceeded',
  );
}
