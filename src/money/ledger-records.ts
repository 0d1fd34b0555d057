import type { LogDb } from '../store/log-db.ts';
import { keysetPages, LOG_PAGE_ROWS } from '../store/log-pages.ts';
import { DAY_MS } from './ledger-rollup.ts';

/** Nano-dollars per dollar: the books keep money as integer nano-dollars. */
export const NANO = 1e9;

/** One booked call as exported: what it was, who asked where, what it cost, its evidence. */
export interface LedgerRecord {
  at: Date;
  workspaceId: string;
  channelId: string;
  userId: string;
  vendor: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** `null` when the model has no price. */
  costUsd: number | null;
  evidenceId: string;
  /** The usage (and cost) is partly an estimate: the call's stream was cut before the vendor reported it. */
  estimated: boolean;
  /** The whole call is an estimate, its worst case: the process running it stopped mid-call. */
  stopped: boolean;
  /** The lane the job was routed to; null when booked before lanes were recorded. */
  lane: string | null;
  /** The routing rule that chose the lane (`auto: code`, `--deep`, `consensus`); null likewise. */
  route: string | null;
}

/** Every booked call of a workspace's UTC day range, oldest first, read page by page (exports of any size). */
export async function* ledgerRecords(db: LogDb, ws: string, fromDay: string, toDay: string): AsyncIterable<LedgerRecord> {
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${toDay}T00:00:00Z`) + DAY_MS;
  // Page by (at, id) rather than stream: the same on SQLite and PostgreSQL, no connection held meanwhile.
  const page = (after?: { at: number; id: number }) => {
    let q = db
      .selectFrom('ledger')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('at', '>=', after?.at ?? from)
      .where('at', '<', to);
    if (after) q = q.where((eb) => eb(eb.refTuple('at', 'id'), '>', eb.tuple(after.at, after.id)));
    return q.orderBy('at').orderBy('id').limit(LOG_PAGE_ROWS).execute();
  };
  for await (const r of keysetPages(page)) {
    yield {
      at: new Date(Number(r.at)),
      workspaceId: r.workspace_id,
      channelId: r.channel_id,
      userId: r.user_id,
      vendor: r.vendor,
      model: r.model,
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      cacheReadTokens: Number(r.cache_read_tokens),
      cacheWriteTokens: Number(r.cache_write_tokens),
      reasoningTokens: Number(r.reasoning_tokens),
      costUsd: r.cost_nano === null ? null : Number(r.cost_nano) / NANO,
      evidenceId: r.evidence_id,
      estimated: Number(r.estimated) === 1,
      stopped: Number(r.stopped) === 1,
      lane: r.lane,
      route: r.route,
    };
  }
}
