import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import type { Vendor } from '../src/shared/provider-spec.ts';
import type { VendorLimits } from '../src/pacing/pacer-limits.ts';

/**
 * The limits an admin may set, each with a ceiling far above any vendor tier but low enough that a
 * typo (`rpm=1e308`) is refused rather than switching pacing off. The refill window is not here:
 * vendors count per minute, and changing it is a test knob, not a chat setting.
 */
export const LIMIT_FIELDS = {
  rpm: { max: 1_000_000, what: 'requests per minute' },
  itpm: { max: 1_000_000_000, what: 'input tokens per minute' },
  otpm: { max: 1_000_000_000, what: 'output tokens per minute' },
  tpm: { max: 1_000_000_000, what: 'tokens per minute' },
  concurrency: { max: 1_000, what: 'calls at once' },
} as const;

export type LimitField = keyof typeof LIMIT_FIELDS;
const NAMES = Object.keys(LIMIT_FIELDS) as LimitField[];

/** `rpm=60 concurrency=4` → a patch; every field known, given once, a whole number within its range. */
export function parseLimitChanges(pairs: readonly string[], usage: string): Partial<Record<LimitField, number>> {
  const bad = (msg: string): never => {
    throw new UserError(`${msg}\nUsage: ${usage}`, 'usage');
  };
  if (pairs.length === 0) bad(`Say which limits to change, e.g. \`rpm=60 concurrency=4\` (${fieldList()}).`);
  const patch: Partial<Record<LimitField, number>> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)=(.*)$/s.exec(pair);
    const name = m?.[1]?.toLowerCase() ?? '';
    if (!m || !Object.hasOwn(LIMIT_FIELDS, name)) bad(`"${shown(pair)}" is not a limit: write name=number, where name is one of ${NAMES.join(', ')}.`);
    const field = name as LimitField;
    if (patch[field] !== undefined) bad(`${field} is given twice; give each limit once.`);
    const { max, what } = LIMIT_FIELDS[field];
    const digits = /^\d+$/.test(m![2]!) ? m![2]! : undefined;
    const n = digits === undefined ? NaN : Number(digits);
    if (!(n >= 1 && n <= max)) bad(`${field} (${what}) takes a whole number from 1 to ${max.toLocaleString('en-US')}; "${shown(m![2]!)}" is not one.`);
    patch[field] = n;
  }
  return patch;
}

/** What a change did, field by field: `openai limits: rpm 500 → 60, concurrency 8 (unchanged)`. */
export function describeLimitChange(vendor: Vendor, before: VendorLimits, patch: Partial<Record<LimitField, number>>): string {
  const parts = NAMES.filter((f) => patch[f] !== undefined).map((f) => {
    const was = before[f];
    return was === patch[f] ? `${f} ${fmt(was)} (unchanged)` : `${f} ${was === undefined ? 'not enforced' : fmt(was)} → ${fmt(patch[f]!)}`;
  });
  return `${vendor} limits: ${parts.join(', ')}.`;
}

/** The limits a vendor pace enforces, for the lanes overview: `rpm 500, tpm 200,000, concurrency 8`. */
export function limitsText(l: VendorLimits): string {
  return NAMES.filter((f) => l[f] !== undefined)
    .map((f) => `${f} ${fmt(l[f]!)}`)
    .join(', ');
}

function fieldList(): string {
  return NAMES.map((f) => `${f}: ${LIMIT_FIELDS[f].what}, 1–${LIMIT_FIELDS[f].max.toLocaleString('en-US')}`).join('; ');
}

function fmt(n: number | undefined): string {
  return n === undefined ? 'not enforced' : n.toLocaleString('en-US');
}
