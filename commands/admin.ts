import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import type { Invocation } from '../src/chat/invocation.ts';
import { term } from '../src/shared/platform-terms.ts';

/** Refuses non-admins; the platform decides who is an admin. */
export async function requireAdmin(inv: Invocation, what: string): Promise<void> {
  if (!(await inv.isAdmin())) throw new UserError(`Only ${term.admins()} can ${what}.`, 'not_admin');
}

/** Largest amount a budget or threshold takes: far above any team's month, low enough to catch a typo. */
export const MAX_USD = 1_000_000;

/** Finest amount a setting takes: a millionth of a dollar, far below any call's cost. */
const MAX_DECIMALS = 6;

/** A plain decimal dollar amount: optional `$`, digits, optional decimal part; nothing else. */
const USD = /^\$?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a dollar amount (`5`, `$12.50`) or `off`; `undefined` means off. Only plain decimals:
 * `Number()` would take hex, exponents, signs and blanks, so `0x10` became $16 and `$` a $0 cap.
 */
export function parseUsd(text: string | undefined, usage: string): number | undefined {
  if (text === undefined) throw new UserError(`Give an amount in USD (e.g. 25 or $12.50) or "off".\nUsage: ${usage}`, 'usage');
  if (text.toLowerCase() === 'off') return undefined;
  const m = USD.exec(text);
  if (!m)
    throw new UserError(
      `"${shown(text)}" is not an amount in USD: write a plain number such as 25 or $12.50 (no sign, exponent or hex), or "off".\nUsage: ${usage}`,
      'usage',
    );
  if ((m[2]?.length ?? 0) > MAX_DECIMALS)
    throw new UserError(`"${shown(text)}" has more than ${MAX_DECIMALS} decimal places; round it (e.g. 0.005 or $12.50).\nUsage: ${usage}`, 'usage');
  const n = Number(`${m[1]}.${m[2] ?? '0'}`);
  if (n > MAX_USD)
    throw new UserError(
      `"${shown(text)}" is more than this takes: give an amount from $0 to $${MAX_USD.toLocaleString('en-US')}, or "off".\nUsage: ${usage}`,
      'usage',
    );
  return n;
}

/** Accepts a raw user id or a platform mention such as `<@U123|ana>` or `<@123>`. */
export function parseUserId(text: string | undefined, usage: string): string {
  const m = text ? /^<@!?([A-Za-z0-9_]+)(?:\|[^>]*)?>$/.exec(text) : null;
  const id = m ? m[1] : text;
  if (!id || !/^[A-Za-z0-9_]{1,64}$/.test(id)) throw new UserError(`Name a user (a mention or user id).\nUsage: ${usage}`, 'usage');
  return id;
}

/** Refuses words after the last argument a sub-command takes, so a typo is never silently dropped. */
export function noMoreArgs(rest: readonly string[], usage: string): void {
  if (rest.length > 0) throw new UserError(`Unexpected "${shown(rest.join(' '))}" at the end.\nUsage: ${usage}`, 'usage');
}
