import { formatUsd } from '../money/footer.ts';
import type { PageSection } from './page-model.ts';
import { ROUTING_ACTIONS, type RoutingReport, type RoutingRow } from './routing-report.ts';

/** The spend page's routing section: the rows `/hive routing` lists, per lane and per rule, as tables. */
export function routingSection(r: RoutingReport): PageSection {
  const head = ['Name', 'Answered jobs', 'Share of jobs', 'Spend', 'Share of spend', ...ROUTING_ACTIONS.map(([, words]) => words)];
  const rows = (list: readonly RoutingRow[]) => list.map(cells);
  return {
    heading: 'Routing',
    notes: ['Whether routing served the team: jobs, spend and what people did with the answers, per lane and per routing rule (as /hive routing lists them).'],
    tables: [
      { caption: 'Routing by lane', head, rows: rows(r.lanes) },
      { caption: 'Routing by rule, most spend on the strong lanes first', head, rows: rows(r.rules) },
    ],
  };
}

function cells(r: RoutingRow): string[] {
  const pct = (x: number | undefined) => (x === undefined ? '' : `${Math.round(x * 100)}%`);
  return [
    r.name,
    String(r.jobs),
    pct(r.share),
    r.spend ? formatUsd(r.spend.usd) : '',
    pct(r.spendShare),
    ...ROUTING_ACTIONS.map(([k]) => String(r.actions[k] ?? 0)),
  ];
}
