import { HiveError, VendorError } from '../shared/errors.ts';
import { worstCaseUsd } from '../money/usage-math.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ExecuteInput } from './execution.ts';
import type { CallInput } from './job-files.ts';
import type { SpendHold } from '../money/spend-gate.ts';
import { paceName, PacerFullError, PacerTooSmallError, type Demand, type Pacer, type PacerTicket } from '../pacing/pacer.ts';
import type { RetryBudget } from './retry-budget.ts';
import type { WaitNotices } from '../pacing/wait-notices.ts';
import type { Clock } from '../shared/clock.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';

/** What taking a slot needs from the job. */
export interface SlotContext {
  x: ExecuteInput;
  /** The job's place in line, kept across its attempts. */
  order: number;
  demand: Demand;
  budget: RetryBudget;
  notices: WaitNotices;
  pacer: Pacer;
  clock: Clock;
  catalogue: PriceCatalogue;
}

/** A slot to call `ref` now, with the money held for it; or why none could be had. */
export type Slot =
  { ok: true; ref: ModelRef; ticket: PacerTicket; hold: SpendHold | undefined } | { ok: false; error: HiveError; reason: string; fatal: boolean };

/**
 * Waits in the paces of every vendor in `choices` at once (up to the job's rate deadline) and
 * takes the first that has room, while the money for the call is held. A job thus goes wherever
 * capacity appears first, not where an estimate made when it arrived sent it.
 */
export async function takeSlot(choices: readonly ModelRef[], c: SlotContext): Promise<Slot> {
  const { x } = c;
  const t0 = c.clock.now();
  const waits = choices.map((r) => c.pacer.expectedWaitMs(x.workspaceId, r, c.demand));
  const soonest = waits.indexOf(Math.min(...waits));
  const owner = c.pacer.waitOwner(x.workspaceId, choices[soonest]!, c.demand);
  c.notices.begin(choices[soonest]!.vendor, t0 + waits[soonest]! <= c.budget.rateDeadline() ? waits[soonest]! : 0, owner);
  // Join the paces before any await, so concurrent jobs see each other's place in them.
  // Each model's own pace: vendors limit (and report the limits of) each model of a key apart.
  const waiting = c.pacer.acquireAny(x.workspaceId, choices, c.demand, {
    deadline: c.budget.rateDeadline(),
    order: c.order,
    onEstimate: (ms, owner) => c.notices.update(ms, owner),
    ...(x.signal ? { signal: x.signal } : {}),
  });
  try {
    let hold: SpendHold | undefined;
    try {
      const most = x.gate ? costliest(choices, c) : undefined;
      if (most) hold = await x.gate?.reserve(most, ...heldFor(x, most));
    } catch (e) {
      void waiting.then(
        (g) => g.ticket.cancel(),
        () => undefined,
      );
      if (e instanceof HiveError) return { ok: false, error: e, reason: 'over budget', fatal: true };
      throw e;
    }
    try {
      const g = await waiting;
      c.budget.excuse(c.clock.now() - t0);
      return { ok: true, ref: choices.find((r) => paceName(r) === g.pace)!, ticket: g.ticket, hold };
    } catch (e) {
      await hold?.release();
      if (e instanceof PacerFullError) return { ok: false, error: e, reason: 'rate limit full', fatal: false };
      if (e instanceof PacerTooSmallError) return { ok: false, error: e, reason: 'limit too small', fatal: false };
      if (x.signal?.aborted) return { ok: false, error: cancelled(choices[0]!), reason: 'cancelled', fatal: true };
      throw e;
    }
  } finally {
    c.notices.end();
  }
}

/**
 * Records the start of the call a slot was granted for, before it is made, so a process stopping
 * mid-call leaves it to be booked; if that cannot be written, the slot and the money go back unused.
 */
export async function beginCall(slot: Extract<Slot, { ok: true }>): Promise<void> {
  try {
    await slot.hold?.start(slot.ref);
  } catch (e) {
    slot.ticket.cancel();
    await slot.hold?.release().catch(() => undefined);
    throw e;
  }
}

/**
 * The choice whose worst case costs most (an unpriced one first): the hold covers whichever pace
 * grants, and the settlement books what the call really cost.
 */
function costliest(choices: readonly ModelRef[], c: SlotContext): ModelRef {
  const at = new Date(c.clock.now());
  let best = choices[0]!;
  let most = -1;
  for (const r of choices) {
    const { request, fileTokens } = callInputOf(c.x, r);
    const usd = worstCaseUsd(c.catalogue, r, request, at, fileTokens) ?? Infinity;
    if (usd > most) [best, most] = [r, usd];
  }
  return best;
}

/** What `ref` is sent in this execution, and its native files' tokens. */
export function callInputOf(x: Pick<ExecuteInput, 'request' | 'requestFor'>, ref: ModelRef): CallInput {
  return x.requestFor ? x.requestFor(ref) : { request: x.request, fileTokens: 0 };
}

/** The request a hold is taken for, and its native files' tokens. */
function heldFor(x: ExecuteInput, ref: ModelRef) {
  const { request, fileTokens } = callInputOf(x, ref);
  return [request, fileTokens] as const;
}

/** The caller cancelled between calls (backoff, pace wait): fail like a cancelled call, so the calls so far are kept. */
export function cancelled(ref: ModelRef): VendorError {
  return new VendorError({ vendor: ref.vendor, kind: 'aborted', message: `${ref.vendor} call was cancelled by the caller` });
}
