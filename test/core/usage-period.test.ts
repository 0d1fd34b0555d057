import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import { parseUsagePeriod } from '../../commands/usage-period.ts';
import type { LedgerRow } from '../../src/money/books.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

const NOW = new Date('2026-11-20T15:00:00Z');

describe('usage periods: named periods, months, days and ranges', () => {
  it.each([
    ['', '2026-11-01', '2026-11-20'],
    ['month', '2026-11-01', '2026-11-20'],
    ['Week', '2026-11-14', '2026-11-20'],
    ['day', '2026-11-20', '2026-11-20'],
    ['2026-10', '2026-10-01', '2026-10-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2026-11-05', '2026-11-05', '2026-11-05'],
    ['2026-11-01..2026-11-15', '2026-11-01', '2026-11-15'],
    ['2026-09..2026-11', '2026-09-01', '2026-11-30'],
    [' 2026-09-15..2026-10 ', '2026-09-15', '2026-10-31'],
  ])('"%s" → %s..%s', (text, from, to) => {
    expect(parseUsagePeriod(text, NOW)).toEqual({ from, to });
  });

  it.each([
    ['yesterday', /is not a period: use day, week, month/],
    ['2026-02-30', /"2026-02-30" is not a calendar day/],
    ['2026-13', /"2026-13" is not a month/],
    ['2026-11-15..2026-11-01', /ends before it starts/],
    ['2026-11-01..2026-11-02..2026-11-03', /is not a period/],
    ['2026-11-01..', /is not a period/],
    ['\u001b[31m2026', /is not a period/],
  ])('refuses "%s" with a message that says what to write', (text, message) => {
    expect(() => parseUsagePeriod(text, NOW)).toThrow(message);
  });
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function row(at: string, costNano: number): LedgerRow {
  const zero = { input_tokens: 10, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  return {
    at: Date.parse(at),
    workspace_id: 'local',
    channel_id: 'C1',
    user_id: 'U1',
    vendor: 'openai',
    model: 'gpt-6-luna',
    ...zero,
    cost_nano: costNano,
    evidence_id: 'E',
    estimated: 0,
  };
}

describe('/hive usage and hive usage over a date range', () => {
  it('GIVEN calls on several days THEN a range counts exactly the calls of its days, in chat and in the CLI', async () => {
    h = await startHarness({ store: 'sqlite', vendors: {} });
    const days = ['2026-10-31T23:59:59Z', '2026-11-01T00:00:00Z', '2026-11-15T23:59:59Z', '2026-11-16T00:00:00Z'];
    for (const [i, at] of days.entries()) await h.hive.books.settle({ keys: [], costNano: (i + 1) * 1_000_000, row: row(at, (i + 1) * 1_000_000) });
    const chat = await h.run('/hive usage 2026-11-01..2026-11-15');
    expect(chat.text).toMatch(/Usage 2026-11-01 → 2026-11-15 \(UTC\)\*: \$0\.0050 · 2 calls/);
    const bad = await h.run('/hive usage 2026-11-15..2026-11-01');
    expect(bad.text).toMatch(/ends before it starts[\s\S]*Usage: \/hive usage \[day\|week\|month/);
    const out = new PassThrough();
    let json = '';
    out.on('data', (d: Buffer) => (json += d.toString()));
    const env = { HIVE_DATA_DIR: h.dataDir, HIVE_STORE_URL: `sqlite://${path.join(h.dataDir, 'hive.sqlite')}`, LOG_LEVEL: 'silent' };
    const code = await runCli(['usage', '--period', '2026-10..2026-11', '--json'], env, { stdin: process.stdin, stdout: out, stderr: new PassThrough() });
    expect(code).toBe(0);
    expect(JSON.parse(json)).toMatchObject({ from: '2026-10-01', to: '2026-11-30', total: { calls: 4, usd: 0.01 } });
  });
});
