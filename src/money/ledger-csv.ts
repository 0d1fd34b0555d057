import type { LedgerRecord } from './ledger.ts';
import { UNRECORDED } from './ledger-rollup.ts';

/** The export's columns, in order; the header line names them. */
export const LEDGER_CSV_COLUMNS = [
  'time',
  'workspace',
  'channel',
  'user',
  'vendor',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'evidence_id',
  'estimated',
  'lane',
  'route',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is prefixed with `'`.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One booked call as a CSV line (cost empty when the price is unknown; lane and route `unrecorded` on rows booked before them). */
export function ledgerCsvLine(r: LedgerRecord): string {
  const cost = r.costUsd === null ? null : Number(r.costUsd.toFixed(9));
  return [
    r.at.toISOString(),
    r.workspaceId,
    r.channelId,
    r.userId,
    r.vendor,
    r.model,
    r.inputTokens,
    r.outputTokens,
    r.cacheReadTokens,
    r.cacheWriteTokens,
    r.reasoningTokens,
    cost,
    r.evidenceId,
    r.estimated ? 'yes' : 'no',
    r.lane ?? UNRECORDED,
    r.route ?? UNRECORDED,
  ]
    .map(csvField)
    .join(',');
}
