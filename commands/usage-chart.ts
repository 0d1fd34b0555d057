import type { ReplyImage } from '../src/chat/invocation.ts';
import type { HiveContext } from '../src/command/command.ts';
import { MAX_CHART_DAYS } from '../src/jobs/spend-page.ts';
import type { UsageSummary } from '../src/money/ledger.ts';

const DAY_MS = 86_400_000;

/**
 * The spend page's chart for a `/hive usage` reply: only for a period with calls that the page
 * charts day by day, so the picture shows what the table sums. Drawn when a platform shows it.
 */
export function usageChart(ctx: Pick<HiveContext, 'spendChart'>, workspaceId: string, summary: UsageSummary): ReplyImage | undefined {
  const draw = ctx.spendChart;
  const period = { from: summary.from, to: summary.to };
  const days = Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / DAY_MS) + 1;
  if (!draw || summary.total.calls === 0 || !(days <= MAX_CHART_DAYS)) return undefined;
  return {
    name: `spend-${period.from}-${period.to}.png`,
    alt: `Spend by day ${period.from} → ${period.to} (UTC), stacked by vendor`,
    png: () => draw(workspaceId, period),
  };
}
