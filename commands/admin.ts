import { UserError } from '../src/errors.ts';
import type { Invocation } from '../src/invocation.ts';

/** Refuses non-admins; the platform decides who is an admin. */
export async function requireAdmin(inv: Invocation, what: string): Promise<void> {
  if (!(await inv.isAdmin())) throw new UserError(`Only workspace admins can ${what}.`, 'not_admin');
}

/** Parses a dollar amount (`5`, `$12.50`) or `off`; `undefined` means off. */
export function parseUsd(text: string | undefined, usage: string): number | undefined {
  if (text === undefined) throw new UserError(`Give an amount in USD or "off".\nUsage: ${usage}`, 'usage');
  if (text.toLowerCase() === 'off') return undefined;
  const n = Number(text.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 1_000_000) throw new UserError(`"${text}" is not an amount in USD (e.g. 25 or $12.50).\nUsage: ${usage}`, 'usage');
  return n;
}

/** Accepts a raw user id or a platform mention such as `<@U123|ana>` or `<@123>`. */
export function parseUserId(text: string | undefined, usage: string): string {
  const m = text ? /^<@!?([A-Za-z0-9_]+)(?:\|[^>]*)?>$/.exec(text) : null;
  const id = m ? m[1] : text;
  if (!id || !/^[A-Za-z0-9_]+$/.test(id)) throw new UserError(`Name a user (a mention or user id).\nUsage: ${usage}`, 'usage');
  return id;
}
