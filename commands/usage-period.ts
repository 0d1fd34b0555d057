import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import { periodRange } from '../src/money/ledger.ts';

/** What a usage period may be written as, shown in every refusal so the fix is one glance away. */
export const USAGE_PERIOD_FORMS = 'day, week, month, a month (2026-11), a day (2026-11-05) or a range (2026-11-01..2026-11-15, 2026-09..2026-11)';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/**
 * Turns what a user typed into an inclusive UTC day range, so chat and the CLI accept the same
 * periods: a named period ending today, a calendar month, a day, or `from..to` of either.
 */
export function parseUsagePeriod(text: string, now: Date): { from: string; to: string } {
  const t = text.trim().toLowerCase() || 'month';
  if (t === 'day' || t === 'week' || t === 'month') return periodRange(t, now);
  const [a, b, ...more] = t.split('..');
  if (a === undefined || more.length > 0) throw refusal(text);
  const from = bound(a, 'start', text);
  const to = bound(b ?? a, 'end', text);
  if (from > to) throw new UserError(`The range "${shown(text.trim())}" ends before it starts: write the earlier date first.`, 'usage');
  return { from, to };
}

function bound(part: string, side: 'start' | 'end', text: string): string {
  const day = DAY.exec(part);
  if (day) {
    if (!isRealDay(Number(day[1]), Number(day[2]), Number(day[3]))) throw new UserError(`"${shown(part)}" is not a calendar day.`, 'usage');
    return part;
  }
  const month = MONTH.exec(part);
  if (!month) throw refusal(text);
  const [y, m] = [Number(month[1]), Number(month[2])];
  if (m < 1 || m > 12) throw new UserError(`"${shown(part)}" is not a month: months run from 01 to 12.`, 'usage');
  if (side === 'start') return `${part}-01`;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${part}-${String(last).padStart(2, '0')}`;
}

function isRealDay(y: number, m: number, d: number): boolean {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

function refusal(text: string): UserError {
  return new UserError(`"${shown(text.trim())}" is not a period: use ${USAGE_PERIOD_FORMS}.`, 'usage');
}

/** `parseUsagePeriod` for a verb: its refusal ends with the verb's usage line. */
export function parsePeriodFor(text: string, now: Date, usage: string): { from: string; to: string } {
  try {
    return parseUsagePeriod(text, now);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${e.message}\nUsage: ${usage}`, 'usage');
    throw e;
  }
}
