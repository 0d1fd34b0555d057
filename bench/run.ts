import { benchOverhead } from './overhead.ts';
import { benchBudgetOvershoot } from './budget-overshoot.ts';
import type { BenchResult } from './types.ts';

type Bench = () => Promise<BenchResult>;

/** Every benchmark, in the order printed; optional ones load only if present. */
async function benches(): Promise<[string, Bench][]> {
  const list: [string, Bench][] = [
    ['overhead', benchOverhead],
    ['budget', benchBudgetOvershoot],
  ];
  const optional: [string, string, string][] = [
    ['throughput', './throughput.ts', 'benchThroughput'],
    ['consensus', './consensus.ts', 'benchConsensus'],
    ['slack-ack', './slack-ack.ts', 'benchSlackAck'],
  ];
  for (const [name, file, fn] of optional) {
    const mod = (await import(file).catch(() => undefined)) as Record<string, Bench> | undefined;
    if (mod?.[fn]) list.push([name, mod[fn]]);
  }
  return list;
}

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
for (const [name, run] of await benches()) {
  if (only.length > 0 && !only.includes(name)) continue;
  print(await run());
}
