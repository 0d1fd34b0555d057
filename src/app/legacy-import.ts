import { forgetAllTotals } from '../money/ledger-rollup.ts';
import type { EvidenceContent, EvidenceRecord } from '../evidence/evidence-store.ts';
import { HiveError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { importLegacyEvidence } from './legacy-evidence.ts';
import { reconcileLegacyDays } from './legacy-reconcile.ts';
import { NANO, type LegacyDayDoc } from './legacy-tally.ts';
import type { LogDb } from '../store/log-db.ts';
import { LEGACY_NAMESPACES, type Store } from '../store/store.ts';

/** Key in the `meta` namespace: present once the import has run; `done` once the old entries are gone too. */
export const LEGACY_IMPORT_MARKER = 'legacy-import';

export interface LegacyImportMarker {
  state: 'imported' | 'done';
  at: string;
}

export interface LegacyImportInput {
  store: Store;
  db: LogDb;
  log: Pick<Logger, 'info' | 'warn'>;
  retentionDays: number;
  /** Called after each record or day is booked, inside its transaction (tests inject a failure here). */
  onItem?: () => void;
  /** Evidence records per transaction (200). */
  batchSize?: number;
}

/** What one import did; `undefined` from `importLegacyData` when an earlier start already finished it. */
export interface LegacyImportResult {
  evidenceRecords: number;
  evidenceImported: number;
  evidenceRows: number;
  dayDocuments: number;
  adjustedDays: number;
  adjustmentRows: number;
  usd: number;
  oldCounters: number;
  countersDiffering: number;
}

/**
 * One-time import, at start, of what releases before the SQL log store kept in the keyed store:
 * evidence records become evidence rows and one ledger row per call, old day documents fill in the
 * calls whose evidence is gone, and budget counters are derived from the imported rows. Every step
 * is idempotent, so a start killed midway simply imports the rest next time. After the marker is
 * set, the old entries are deleted (their prompts and answers would otherwise outlive retention).
 */
export async function importLegacyData(o: LegacyImportInput): Promise<LegacyImportResult | undefined> {
  const meta = o.store.ns<LegacyImportMarker>('meta');
  const marker = await meta.get(LEGACY_IMPORT_MARKER);
  if (marker?.state === 'done') return undefined;
  let result: LegacyImportResult | undefined;
  try {
    if (!marker) {
      result = await runImport(o);
      await meta.set(LEGACY_IMPORT_MARKER, { state: 'imported', at: new Date().toISOString() });
    }
    await deleteLegacyEntries(o.store);
    await meta.set(LEGACY_IMPORT_MARKER, { state: 'done', at: new Date().toISOString() });
  } catch (cause) {
    throw new HiveError(
      'legacy_import_failed',
      `Importing the data of the previous release (usage, evidence, budgets) into the log database failed: ${cause instanceof Error ? cause.message : String(cause)}. Nothing is counted twice: fix the cause and start again, and the import continues where it stopped.`,
      { cause },
    );
  }
  if (result && (result.evidenceRecords > 0 || result.dayDocuments > 0 || result.oldCounters > 0)) {
    o.log.info(
      { legacyImport: result },
      `imported the previous release's data: ${result.evidenceImported} evidence records, ${result.evidenceRows + result.adjustmentRows} ledger rows, $${result.usd.toFixed(6)}`,
    );
  }
  return result;
}

async function runImport(o: LegacyImportInput): Promise<LegacyImportResult> {
  if (await hasEntries(o.store))
    o.log.info("importing the previous release's usage, evidence and budgets into the log database (once; a large history takes a minute)");
  const ev = await importLegacyEvidence({
    records: o.store.ns<EvidenceRecord>('evidence'),
    contents: o.store.ns<EvidenceContent>('evidence-content'),
    db: o.db,
    retentionDays: o.retentionDays,
    ...(o.onItem ? { onItem: o.onItem } : {}),
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
  });
  const days = await reconcileLegacyDays({
    docs: o.store.ns<LegacyDayDoc>('ledger'),
    db: o.db,
    explained: ev.explained,
    ...(o.onItem ? { onItem: o.onItem } : {}),
  });
  if (ev.malformed > 0) o.log.warn({ malformed: ev.malformed }, 'skipped unreadable evidence records of the previous release');
  if (days.overExplained > 0)
    o.log.warn({ days: days.overExplained }, "some old days' evidence shows more calls than their usage documents; the evidence was kept");
  const counters = await compareCounters(o);
  await forgetAllTotals(o.db); // the imported rows are in days whose totals may have been built
  return {
    evidenceRecords: ev.records,
    evidenceImported: ev.inserted,
    evidenceRows: ev.rows,
    dayDocuments: days.days,
    adjustedDays: days.adjustedDays,
    adjustmentRows: days.rows,
    usd: (ev.nano + days.nano) / NANO,
    ...counters,
  };
}

/**
 * The old counters are not copied: a process that died mid-call left its reservation in them for
 * good. The imported ledger rows settle the new counters instead; the old ones are only compared.
 */
async function compareCounters(o: LegacyImportInput): Promise<{ oldCounters: number; countersDiffering: number }> {
  const old = new Map<string, number>();
  if (o.store.legacyCounters) for await (const [key, n] of o.store.legacyCounters.entries()) if (key.startsWith('spend|')) old.set(key, n);
  if (old.size === 0) return { oldCounters: 0, countersDiffering: 0 };
  const now = new Map<string, number>();
  const keys = [...old.keys()];
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await o.db
      .selectFrom('budget_counters')
      .select(['key', 'settled'])
      .where('key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) now.set(r.key, Number(r.settled));
  }
  return { oldCounters: old.size, countersDiffering: keys.filter((k) => (now.get(k) ?? 0) !== old.get(k)).length };
}

async function hasEntries(store: Store): Promise<boolean> {
  for (const name of ['evidence', 'ledger'] as const) {
    const iterator = store.ns(name).iterator;
    if (iterator) for await (const entry of iterator(undefined)) if (entry) return true;
  }
  return false;
}

/** Removes the old namespaces and counters (each backend deletes in batches: SCAN + DEL on Redis). */
async function deleteLegacyEntries(store: Store): Promise<void> {
  for (const name of LEGACY_NAMESPACES) await store.ns(name).clear();
  await store.legacyCounters?.clear();
}
