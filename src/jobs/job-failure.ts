import { ExecutionFailed } from '../routing/executor.ts';
import { HiveError, KEY_FATAL_KINDS, UserError, VendorError } from '../shared/errors.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { Plan } from '../routing/router.ts';
import { mask } from '../shared/secrets.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';
import { term } from '../shared/platform-terms.ts';
import type { CallRecord } from '../evidence/evidence-store.ts';
import { formatUsd } from '../money/footer.ts';
import { totalCost } from '../money/usage-math.ts';

/** Turns a failed job into what its requester should read: which key failed and how to fix it. */
export function explainFailure(e: unknown, plan: Plan, keys: ReadonlyMap<Vendor, UsableKey>, id: string): Error {
  if (!(e instanceof ExecutionFailed)) return e instanceof Error ? e : new HiveError('internal', String(e));
  const paid = costSentence(e.calls);
  if (e.last instanceof UserError) return new UserError(`${e.last.message}${paid} Evidence ${id}.`, e.last.code);
  const dead = e.calls.find((c) => c.error?.kind && (KEY_FATAL_KINDS as readonly string[]).includes(c.error.kind));
  const lines: string[] = [];
  if (dead) {
    const label = VENDOR_INFO[dead.vendor].label;
    const key = keys.get(dead.vendor);
    const where = dead.error!.kind === 'auth' ? VENDOR_INFO[dead.vendor].keysUrl : VENDOR_INFO[dead.vendor].billingUrl;
    lines.push(
      `The ${label} key ${key ? mask(key.key) : ''} failed (${(dead.error!.kind ?? 'error').replace('_', ' ')}: ${dead.error!.message}). It is now marked unhealthy; ` +
        `an admin can fix it at ${where}, then replace it with ${term.addKey(dead.vendor)}, or check it with \`/hive keys test ${dead.vendor}\`.`,
    );
  }
  const tried = e.failures.join(', ');
  if (!dead || e.failures.length > 1) {
    const label = e.last instanceof VendorError ? VENDOR_INFO[e.last.vendor].label : 'The vendor';
    const single = e.failures[0]?.replace(/^\S+ /, '') ?? 'failed';
    // A refused request (400, 404) fails the same way every time; only passing trouble is worth a retry.
    const next = e.last.retryable ? 'Try again shortly.' : 'Trying again will not help: pick another model or lane (see `/hive models`).';
    lines.push(e.failures.length > 1 ? `No model in the ${plan.lane} lane could answer (${tried}). ${next}` : `${label} could not answer (${single}). ${next}`);
  }
  return new UserError(`${lines.join(' ')}${paid} Evidence ${id}.`, dead ? 'key_failed' : 'vendor_failed');
}

/**
 * What the failed job was billed, when anything: a call cut off mid-answer still costs its
 * tokens, and the requester should not learn that only from the usage report.
 */
export function costSentence(calls: readonly CallRecord[]): string {
  const billed = calls.filter((c) => c.usage !== undefined);
  if (billed.length === 0) return '';
  const usd = totalCost(billed);
  const estimated = billed.find((c) => c.estimated)?.estimated;
  const amount =
    usd === undefined ? 'an unknown amount (no price for the model)' : estimated ? `about ${formatUsd(usd)} (estimated: ${estimated})` : formatUsd(usd);
  return ` ${billed.length === 1 ? 'The attempt' : `The ${billed.length} attempts`} still cost ${amount}.`;
}
