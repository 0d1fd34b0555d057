import type { HttpPages } from '../chat/http-pages.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import type { AnswerBook } from '../jobs/answer-book.ts';
import { evidenceWithActions } from '../jobs/evidence-export.ts';
import { loadSpendPage, type SpendDay, type SpendPageDeps, type SpendSources } from '../jobs/spend-page.ts';
import { LEDGER_CSV_COLUMNS, ledgerCsvLine } from '../money/ledger-csv.ts';
import type { Ledger } from '../money/ledger.ts';
import type { HttpLimits } from '../chat/http-limits.ts';
import type { Logger } from '../shared/log.ts';
import type { Config } from './config.ts';

/** A server started for the pages alone, as `adapters/web/` starts one. */
export interface StartPages {
  (o: { port: number; pages: HttpPages; limits: HttpLimits; log: Logger }): Promise<{ port: number; close(): Promise<void> }>;
}

/**
 * Where this process serves the evidence pages, said once at start-up: nowhere without
 * `HIVE_PUBLIC_URL` (or on a worker, which serves no HTTP), beside Slack's endpoints when Slack runs
 * here (its server is on `PORT`), else on a server of their own on `PORT`.
 */
export async function servePages(
  o: { config: Pick<Config, 'port' | 'http' | 'role'>; pages: HttpPages | undefined; log: Logger; platforms: readonly string[] },
  start: StartPages,
): Promise<{ close(): Promise<void> } | undefined> {
  if (o.config.role === 'worker') return undefined;
  if (!o.pages) {
    o.log.info('evidence pages off: footers show the evidence id alone (set HIVE_PUBLIC_URL to link them to their pages)');
    return undefined;
  }
  if (o.platforms.includes('slack')) {
    o.log.info({ port: o.config.port }, 'evidence pages served on PORT beside the Slack endpoints');
    return undefined;
  }
  return start({ port: o.config.port, pages: o.pages, limits: o.config.http, log: o.log });
}

/**
 * The spend page's sources, built from the code the chat and the CLI run: the period as
 * `/hive usage` parses it (`parsePeriod`), the sums of `ledger.summarize`, the CSV lines of `hive usage --csv` and the
 * records of `hive evidence export`, so the page and its exports agree with both.
 */
export function spendSources(
  d: SpendPageDeps & { ledger: Pick<Ledger, 'rows'>; evidence: Pick<EvidenceStore, 'since'>; answers: Pick<AnswerBook, 'actionsFor'> },
  parsePeriod: (text: string, now: Date) => { from: string; to: string },
  now: () => Date,
): SpendSources {
  const range = (period: string) => parsePeriod(period, now());
  return {
    page: (ws, period) => loadSpendPage(d, ws, range(period), now()),
    async *csv(ws, period) {
      const { from, to } = range(period);
      yield LEDGER_CSV_COLUMNS.join(',');
      for await (const row of d.ledger.rows(ws, from, to)) yield ledgerCsvLine(row);
    },
    async *evidence(ws, period) {
      const since = Date.parse(`${range(period).from}T00:00:00Z`);
      for await (const view of evidenceWithActions(d.evidence, d.answers, since, ws)) yield JSON.stringify(view);
    },
  };
}

/** Draws a chart of days of spend by vendor (the web adapter's PNG); tests pass one that fails. */
export type DrawSpendChart = (days: readonly SpendDay[], vendors: readonly string[]) => Promise<Uint8Array>;

/**
 * The chart `/hive usage` posts, from the days and vendors the spend page reads (`loadSpendPage`,
 * the ledger's own sums), so the picture in chat and the page's chart and tables agree.
 */
export function spendChart(d: SpendPageDeps, draw: DrawSpendChart, now: () => Date) {
  return async (workspaceId: string, period: { from: string; to: string }): Promise<Uint8Array> => {
    const page = await loadSpendPage(d, workspaceId, period, now());
    return draw(page.days, page.vendors);
  };
}
