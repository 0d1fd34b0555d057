import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderSpendHtml } from '../adapters/web/spend-html.ts';
import { startPagesServer } from '../adapters/web/pages-server.ts';
import { loadSpendPage } from '../src/jobs/spend-page.ts';
import { dayOf } from '../src/money/ledger.ts';
import { largeStore, LEDGER_ROWS } from './large-store.ts';
import { openBenchHive } from './overhead-rounds.ts';
import { startFakeVendorProcess } from './processes.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const RUNS = 9;
const GOAL_MS = 1000;
const DAY_MS = 86_400_000;

/** Wall time of the first run (daily totals still to build), then the median of RUNS more. */
async function timed<T>(f: () => Promise<T>): Promise<{ first: number; ms: number; last: T }> {
  let t0 = performance.now();
  let last = await f();
  const first = performance.now() - t0;
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    last = await f();
    xs.push(performance.now() - t0);
  }
  return { first, ms: median(xs), last };
}

/**
 * The spend page of a month over the large log database (workspace `local`, one of six): the whole
 * GET through the pages server (its first run on a fresh copy of the store, so it builds the month's
 * daily totals, and loads the chart library), then its model (summary, chart days, feedback,
 * budgets) and its HTML with the ECharts SVG apart; and, for comparison, the chart days read the
 * way they were before (one summary per day).
 */
export async function benchSpendPageMonth(): Promise<BenchResult> {
  const large = await largeStore();
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-spend-'));
  fs.copyFileSync(large.file, path.join(dir, 'logs.sqlite'));
  const hive = await openBenchHive(fake.url, { HIVE_DATA_DIR: dir, HIVE_PUBLIC_URL: 'http://localhost:1' });
  const server = await startPagesServer({ port: 0, host: '127.0.0.1', pages: hive.pages!, log: hive.log });
  try {
    const [from, to] = [dayOf(new Date(large.endMs - 30 * DAY_MS)), dayOf(new Date(large.endMs))];
    const period = { from, to };
    const { ledger, books, settings, answers } = hive.ctx;
    const deps = { ledger, books, settings, answers: answers.book };
    const range = `${from} → ${to}`;
    const rows: BenchResult['rows'] = [];
    const row = (what: string, r: { first: number; ms: number }) =>
      rows.push({ step: what, range, 'first run ms': r.first.toFixed(1), 'median ms': r.ms.toFixed(1) });
    const link = new URL(hive.ctx.spendLink!('local'));
    const url = `http://127.0.0.1:${server.port}${link.pathname}${link.search}&period=${from}..${to}`;
    // First: the cold page, its month's daily totals still to build and the chart library still to load.
    const get = await timed(async () => {
      const r = await fetch(url);
      const body = await r.text();
      if (r.status !== 200 || !body.includes('By route rule')) throw new Error(`spend page answered ${r.status}`);
      return body.length;
    });
    row(`GET /spend through the pages server (${Math.round(get.last / 1024)} KiB)`, get);
    const model = await timed(() => loadSpendPage(deps, 'local', period, new Date(large.endMs)));
    row('spend page model (loadSpendPage)', model);
    row(
      'HTML with the ECharts SVG (renderSpendHtml)',
      await timed(() => renderSpendHtml(model.last, { w: 'local', e: '0', s: 'x', period: `${from}..${to}` })),
    );
    const days = Array.from({ length: 31 }, (_, i) => dayOf(new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY_MS)));
    row('chart days as before: one ledger.summarize per day', await timed(() => Promise.all(days.map((d) => ledger.summarize('local', d, d)))));
    row('chart days now: one ledger.daily', await timed(() => ledger.daily('local', from, to)));
    const full = Number(rows[0]!['median ms']);
    const cold = Number(rows[0]!['first run ms']);
    return {
      name: `Spend page of a month over ${LEDGER_ROWS.toLocaleString('en-US')} ledger rows (workspace "local", one of 6)`,
      rows,
      verdicts: [
        `GET of a month's spend page, median ${full.toFixed(1)} ms of ${RUNS} (goal < ${GOAL_MS} ms) — ${full < GOAL_MS ? 'met' : 'NOT met'}`,
        `the first GET on a fresh store and process (daily totals built, chart library loaded) ${cold.toFixed(1)} ms — ${cold < GOAL_MS ? 'met' : 'NOT met'}`,
      ],
    };
  } finally {
    await server.close();
    await hive.close();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
