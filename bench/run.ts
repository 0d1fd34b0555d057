import { BENCHES, select } from './registry.ts';
import type { BenchResult } from './types.ts';

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

// `npm run bench` runs all but the heavy ones; `npm run bench -- <name> …` some; `npm run bench -- all` every one.
const { chosen, unknown } = select(process.argv.slice(2));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${BENCHES.map((b) => b.name).join(', ')} (or all).`);
  process.exit(2);
}
for (const b of chosen) print(await b.run());
