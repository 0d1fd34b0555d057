import { benchOverhead } from './overhead.ts';
import { benchBudgetOvershoot } from './budget-overshoot.ts';
import { benchThroughput } from './throughput.ts';
import { benchConsensus } from './consensus.ts';
import { benchSlackAck } from './slack-ack.ts';
import type { BenchResult } from './types.ts';

/** Every benchmark, in the order printed; `npm run bench -- <name> …` runs some. */
const BENCHES: [string, () => Promise<BenchResult>][] = [
  ['overhead', benchOverhead],
  ['budget', benchBudgetOvershoot],
  ['throughput', benchThroughput],
  ['consensus', benchConsensus],
  ['slack-ack', benchSlackAck],
];

function print(r: BenchResult): void {
  console.log(`\n## ${r.name}`);
  const cols = [...new Set(r.rows.flatMap((row) => Object.keys(row)))];
  const cells = r.rows.map((row) => cols.map((c) => String(row[c] ?? '')));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  console.log(`| ${cols.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of cells) console.log(`| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  for (const v of r.verdicts) console.log(`- ${v}`);
}

const only = process.argv.slice(2);
const unknown = only.filter((n) => !BENCHES.some(([name]) => name === n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.map(([n]) => n).join(', ')}.`);
  process.exit(2);
}
for (const [name, run] of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue;
  print(await run());
}
