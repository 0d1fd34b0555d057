import { scopesFor, scopeStatus } from '../money/budget.ts';
import type { Books } from '../money/books.ts';
import { formatUsd } from '../money/footer.ts';
import type { Bucket, DaySpend, Ledger, UsageSummary } from '../money/ledger.ts';
import type { SettingsService } from '../settings/settings.ts';
import type { AnswerBook } from './answer-book.ts';
import type { PageSection, PageTable } from './page-model.ts';
import { feedbackSection } from './spend-feedback.ts';
import { routingSection } from './spend-routing.ts';
import { routingReport } from './routing-report.ts';

const DAY_MS = 86_400_000;
/** The longest period charted day by day: a year and a day; a longer one gets its tables alone. */
export const MAX_CHART_DAYS = 366;

/** One day of the chart: dollars by vendor, from the same rollup `/hive usage` reads. */
export type SpendDay = DaySpend;

/** A workspace's spend page: the period's summary as `/hive usage` sums it, its days, and the tables shown. */
export interface SpendPageModel {
  title: string;
  summary: [string, string][];
  /** Day by day, for the chart; empty when the period is longer than `MAX_CHART_DAYS`. */
  days: SpendDay[];
  vendors: string[];
  sections: PageSection[];
  usage: UsageSummary;
}

export interface SpendPageDeps {
  ledger: Pick<Ledger, 'summarize' | 'daily'>;
  books: Books;
  settings: Pick<SettingsService, 'get'>;
  /** What people did with the period's answers, counted per lane (as `/hive usage` lists it); without it, no feedback table. */
  answers?: Pick<AnswerBook, 'counts'> & Partial<Pick<AnswerBook, 'routes'>>;
}

/**
 * One workspace's spend over a period of UTC days, summed by the ledger's own `summarize` (the
 * code `/hive usage` runs), so the page and the chat reply cannot disagree.
 */
export async function loadSpendPage(d: SpendPageDeps, workspaceId: string, period: { from: string; to: string }, now: Date): Promise<SpendPageModel> {
  // The summary first: it builds any daily totals missing, which the days then read rather than build again.
  const usage = await d.ledger.summarize(workspaceId, period.from, period.to);
  const [since, until] = [Date.parse(`${period.from}T00:00:00Z`), Date.parse(`${period.to}T00:00:00Z`) + DAY_MS];
  const [days, counts, routes, budgets] = await Promise.all([
    spendDays(d.ledger, workspaceId, period),
    d.answers?.counts(workspaceId, since, until),
    d.answers?.routes?.(workspaceId, since, until),
    budgetSection(d, workspaceId, now),
  ]);
  const vendors = Object.keys(usage.byVendor).sort();
  return {
    title: `Spend ${period.from} → ${period.to} (UTC)`,
    summary: totals(workspaceId, usage.total),
    days,
    vendors,
    usage,
    sections: [
      {
        heading: 'Spend by day',
        tables: days.length ? [dayTable(days, vendors)] : [],
        notes: days.length ? [] : [`Periods over ${MAX_CHART_DAYS} days are not charted by day.`],
      },
      {
        heading: 'Breakdown',
        tables: [
          bucketTable('By model', usage.byModel),
          bucketTable('By vendor', usage.byVendor),
          bucketTable('By user', usage.byUser),
          bucketTable('By channel', usage.byChannel),
          bucketTable('By lane', usage.byLane),
          bucketTable('By route rule', usage.byRoute),
        ],
      },
      ...(counts ? [feedbackSection(counts)] : []),
      ...(routes ? [routingSection(routingReport(usage, routes))] : []),
      budgets,
    ],
  };
}

/** The period day by day in one grouped read of the ledger; none past `MAX_CHART_DAYS`. */
async function spendDays(ledger: SpendPageDeps['ledger'], ws: string, p: { from: string; to: string }): Promise<SpendDay[]> {
  const count = Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1;
  return count > MAX_CHART_DAYS ? [] : ledger.daily(ws, p.from, p.to);
}

function totals(ws: string, t: Bucket): [string, string][] {
  return [
    ['Workspace', ws],
    ['Total', formatUsd(t.usd)],
    ['Calls', String(t.calls)],
    ['Calls of unknown cost', String(t.unpriced)],
    ['Calls estimated (their process stopped)', String(t.stopped)],
    ['Tokens', `${t.inputTokens} in, ${t.outputTokens} out`],
  ];
}

/** A breakdown as a table, largest spend first, every row (the chat reply shows the top ten). */
function bucketTable(caption: string, m: Record<string, Bucket>): PageTable {
  const rows = Object.entries(m).sort(([, a], [, b]) => b.usd - a.usd);
  return {
    caption,
    head: ['Name', 'Spend', 'Calls', 'Unknown cost', 'Estimated', 'Input tokens', 'Output tokens'],
    rows: rows.map(([k, b]) => [k, formatUsd(b.usd), String(b.calls), String(b.unpriced), String(b.stopped), String(b.inputTokens), String(b.outputTokens)]),
  };
}

function dayTable(days: SpendDay[], vendors: string[]): PageTable {
  return {
    caption: 'Spend by day and vendor',
    head: ['Day', ...vendors],
    rows: days.map((d) => [d.day, ...vendors.map((v) => formatUsd(d.byVendor[v] ?? 0))]),
  };
}

/** This month's budgets: the workspace cap, and every user and channel with a cap of its own. */
async function budgetSection(d: SpendPageDeps, workspaceId: string, now: Date): Promise<PageSection> {
  const b = (await d.settings.get(workspaceId)).budgets;
  const origin = (channelId: string, userId: string) => scopesFor({ workspaceId, channelId, userId }, b, now);
  const scopes = [
    { label: 'Workspace', scope: origin('', '')[0]! },
    ...Object.keys(b?.users ?? {}).map((u) => ({ label: `User ${u}`, scope: origin('', u)[2]! })),
    ...Object.keys(b?.channels ?? {}).map((c) => ({ label: `Channel ${c}`, scope: origin(c, '')[1]! })),
  ];
  const status = await scopeStatus(
    d.books,
    scopes.map((s) => s.scope),
  );
  const rows = status.map((s, i) => [
    scopes[i]!.label,
    formatUsd(s.spentUsd),
    formatUsd(s.heldUsd),
    s.capUsd === undefined ? 'no cap' : formatUsd(s.capUsd),
    used(s.spentUsd, s.capUsd),
  ]);
  return { heading: 'Budgets (UTC month)', tables: [{ caption: 'Budgets and their use', head: ['Scope', 'Spent', 'Held', 'Cap', 'Used'], rows }] };
}

function used(spent: number, cap: number | undefined): string {
  if (cap === undefined) return '';
  return cap <= 0 ? 'blocks every paid call' : `${Math.round((Math.max(0, spent) / cap) * 100)}%`;
}

/**
 * What the spend page reads for one workspace and period (as `/hive usage` writes it); each
 * throws a `UserError` for a period that is not one, which the page shows as a 400.
 */
export interface SpendSources {
  page(workspaceId: string, period: string): Promise<SpendPageModel>;
  /** The lines `hive usage --csv --period <period>` prints. */
  csv(workspaceId: string, period: string): AsyncIterable<string>;
  /** The lines `hive evidence export --since <first day> --workspace <id>` prints. */
  evidence(workspaceId: string, period: string): AsyncIterable<string>;
}
