import type Keyv from 'keyv';
import type { EvidenceContent, EvidenceRecord } from '../evidence/evidence-store.ts';
import type { LedgerRow } from '../money/books.ts';
import { bookImportedRows } from './legacy-books.ts';
import { countRow, dayKey, emptyDayTally, NANO, type DayTally } from './legacy-tally.ts';
import type { LogDb } from '../store/log-db.ts';

const BATCH = 200;
const DAY_MS = 24 * 3600 * 1000;

export interface LegacyEvidenceInput {
  records: Keyv<EvidenceRecord>;
  contents: Keyv<EvidenceContent>;
  db: LogDb;
  retentionDays: number;
  /** Called inside each batch's transaction after every record (tests inject a failure here). */
  onItem?: () => void;
  /** Records per transaction. */
  batchSize?: number;
}

export interface LegacyEvidenceResult {
  /** Per `<workspace>|<day>`: the calls the old evidence explains, inserted now or by an earlier, interrupted run. */
  explained: Map<string, DayTally>;
  records: number;
  inserted: number;
  rows: number;
  nano: number;
  malformed: number;
}

/**
 * Copies old evidence records (with their content, while it lasts) into the log store and books one
 * ledger row per call that reported usage. A record's rows and counters go in with the record in
 * one transaction, and only when the record was not there yet (`ON CONFLICT DO NOTHING`), so a run
 * interrupted at any point and started again books every call exactly once. The keyed store is read
 * again until a pass meets no record it has not seen: SQLite's pages shift when Keyv drops an
 * expired entry during a pass.
 */
export async function importLegacyEvidence(o: LegacyEvidenceInput): Promise<LegacyEvidenceResult> {
  const out: LegacyEvidenceResult = { explained: new Map(), records: 0, inserted: 0, rows: 0, nano: 0, malformed: 0 };
  const seen = new Set<string>();
  if (!o.records.iterator) return out;
  for (let fresh = true; fresh;) {
    fresh = false;
    const batch: EvidenceRecord[] = [];
    for await (const [id, record] of o.records.iterator(undefined) as AsyncIterable<[string, EvidenceRecord | undefined]>) {
      if (seen.has(id)) continue;
      seen.add(id);
      fresh = true;
      if (!isRecord(record)) {
        out.malformed += 1;
        continue;
      }
      batch.push(record);
      if (batch.length >= (o.batchSize ?? BATCH)) await importBatch(o, batch.splice(0), out);
    }
    await importBatch(o, batch, out);
  }
  return out;
}

async function importBatch(o: LegacyEvidenceInput, batch: EvidenceRecord[], out: LegacyEvidenceResult): Promise<void> {
  if (batch.length === 0) return;
  const contents = await o.contents.getMany(batch.map((r) => r.id));
  const done = { inserted: 0, rows: [] as LedgerRow[] };
  await o.db.transaction().execute(async (trx) => {
    for (const [i, record] of batch.entries()) {
      const rows = ledgerRows(record);
      if (await insertRecord(trx, record, contents[i], o.retentionDays)) {
        done.inserted += 1;
        done.rows.push(...rows);
      }
      o.onItem?.();
    }
    await bookImportedRows(trx, done.rows);
  });
  for (const r of batch.flatMap(ledgerRows)) {
    const k = dayKey(r.workspace_id, r.at);
    countRow(out.explained.get(k) ?? out.explained.set(k, emptyDayTally()).get(k)!, r);
  }
  out.records += batch.length;
  out.inserted += done.inserted;
  out.rows += done.rows.length;
  out.nano += done.rows.reduce((n, r) => n + (r.cost_nano ?? 0), 0);
}

/** True when the record was new; false when an earlier run already imported it. */
async function insertRecord(trx: LogDb, r: EvidenceRecord, content: EvidenceContent | undefined, retentionDays: number): Promise<boolean> {
  const created = Date.parse(r.createdAt);
  const promised = r.contentExpiresAt ? Date.parse(r.contentExpiresAt) : NaN;
  const expires = Number.isFinite(promised) ? promised : created + retentionDays * DAY_MS;
  const res = await trx
    .insertInto('evidence')
    .values({
      id: r.id.toUpperCase(),
      workspace_id: r.workspaceId,
      created_at: created,
      record: JSON.stringify({ ...r, contentExpiresAt: new Date(expires).toISOString() }),
      content: content ? JSON.stringify(content) : null,
      content_expires_at: expires,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** One row per call that reported usage, dated like the old ledger dated it: at the job's time. */
function ledgerRows(r: EvidenceRecord): LedgerRow[] {
  const at = Date.parse(r.createdAt);
  return r.calls.flatMap((c) =>
    c.usage
      ? [
          {
            at,
            workspace_id: r.workspaceId,
            channel_id: r.channelId,
            user_id: r.userId,
            vendor: c.vendor,
            model: c.model,
            input_tokens: c.usage.inputTokens,
            output_tokens: c.usage.outputTokens,
            cache_read_tokens: c.usage.cacheReadTokens ?? 0,
            cache_write_tokens: c.usage.cacheWriteTokens ?? 0,
            reasoning_tokens: c.usage.reasoningTokens ?? 0,
            cost_nano: c.costUsd === null || c.costUsd === undefined ? null : Math.round(c.costUsd * NANO),
            evidence_id: r.id.toUpperCase(),
            estimated: c.estimated ? 1 : 0,
          },
        ]
      : [],
  );
}

function isRecord(r: EvidenceRecord | undefined): r is EvidenceRecord {
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.workspaceId === 'string' &&
    Number.isFinite(Date.parse(r.createdAt)) &&
    Array.isArray(r.calls)
  );
}
