import { sql } from 'kysely';
import type { LedgerRow } from '../money/books.ts';
import { scopesFor } from '../money/budget.ts';
import type { LogDb } from '../store/log-db.ts';

const ROWS_PER_INSERT = 500;

/**
 * Books imported ledger rows and adds their dollars to the settled budget counters of their
 * workspace, channel and user for the row's month, inside the caller's transaction: the counters
 * are derived from the very rows they count, so `/hive usage` equals `/hive budget` after an import.
 */
export async function bookImportedRows(trx: LogDb, rows: readonly LedgerRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await trx
      .insertInto('ledger')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute();
  }
  const settled = new Map<string, number>();
  for (const r of rows) {
    if (!r.cost_nano) continue;
    const origin = { workspaceId: r.workspace_id, channelId: r.channel_id, userId: r.user_id };
    for (const s of scopesFor(origin, undefined, new Date(r.at))) settled.set(s.key, (settled.get(s.key) ?? 0) + r.cost_nano);
  }
  for (const [key, n] of settled) {
    await trx
      .insertInto('budget_counters')
      .values({ key, settled: n, held: 0 })
      .onConflict((oc) => oc.column('key').doUpdateSet({ settled: sql`budget_counters.settled + ${n}` }))
      .execute();
  }
}
