import { benchBudgetOvershoot } from './budget-overshoot.ts';
import { benchConsensus } from './consensus.ts';
import { benchDigestDay } from './digest-day.ts';
import { benchIdleRss } from './idle-rss.ts';
import { benchInflightRss } from './inflight-rss.ts';
import { benchLanesMatrix } from './lanes-matrix.ts';
import { benchOverheadLarge } from './overhead-large.ts';
import { benchOverhead } from './overhead.ts';
import { benchPipedAsks } from './piped-asks.ts';
import { benchPipedLearned } from './piped-learned.ts';
import { benchRouting } from './routing.ts';
import { benchScaleOut } from './scale-out.ts';
import { benchScrub } from './scrub.ts';
import { benchSlackAck } from './slack-ack.ts';
import { benchSpendPageMonth } from './spend-page-month.ts';
import { benchStartup } from './startup.ts';
import { benchThroughput } from './throughput.ts';
import type { BenchResult } from './types.ts';
import { benchUsageMonth } from './usage-month.ts';

/** One benchmark: its name on the command line; heavy ones run only when named (or with `all`). */
export interface BenchEntry {
  name: string;
  run: () => Promise<BenchResult>;
  heavy?: boolean;
}

/** Every benchmark, in the order printed. */
export const BENCHES: readonly BenchEntry[] = [
  { name: 'overhead', run: benchOverhead },
  { name: 'overhead-large', run: benchOverheadLarge },
  { name: 'startup', run: benchStartup },
  { name: 'usage-month', run: benchUsageMonth },
  { name: 'spend-page-month', run: benchSpendPageMonth },
  { name: 'idle-rss', run: benchIdleRss },
  { name: 'inflight-rss', run: benchInflightRss, heavy: true },
  { name: 'piped-asks', run: benchPipedAsks, heavy: true },
  { name: 'budget', run: benchBudgetOvershoot },
  { name: 'throughput', run: benchThroughput },
  { name: 'piped-learned', run: benchPipedLearned },
  { name: 'consensus', run: benchConsensus },
  { name: 'slack-ack', run: benchSlackAck },
  { name: 'digest-day', run: benchDigestDay },
  { name: 'scrub', run: benchScrub },
  { name: 'scale-out', run: benchScaleOut, heavy: true },
  { name: 'lanes-matrix', run: benchLanesMatrix, heavy: true },
  { name: 'routing', run: benchRouting },
];

/** The benchmarks a command line selects: the named ones, every one for `all`, else all but the heavy. */
export function select(args: readonly string[]): { chosen: BenchEntry[]; unknown: string[] } {
  const unknown = args.filter((n) => n !== 'all' && !BENCHES.some((b) => b.name === n));
  if (args.includes('all')) return { chosen: [...BENCHES], unknown };
  return { chosen: BENCHES.filter((b) => (args.length > 0 ? args.includes(b.name) : !b.heavy)), unknown };
}
