/**
 * The README's pictures of Hive's pages: a bot over fake vendors answers one `/consensus` (prose
 * answers, a synthesis) after two weeks of booked calls, serves its pages on loopback, and the
 * system Chromium saves the evidence page and the spend page, full length at 1000px wide.
 *
 *   npx tsx scripts/page-screenshots.ts   (HIVE_TEST_CHROMIUM names the browser; default /usr/bin/chromium)
 */
import fs from 'node:fs';
import path from 'node:path';
import { startPagesServer } from '../adapters/web/pages-server.ts';
import type { LedgerRow } from '../src/money/books.ts';
import { splitEvidenceLink } from '../src/shared/footer-link.ts';
import { isJudge } from '../test/consensus/harness.ts';
import type { FakeRequest } from '../test/fakes/fake-vendor.ts';
import { chromiumPath, launchChromium } from '../test/helpers/chromium.ts';
import { startHarness, type Harness } from '../test/helpers/hive-harness.ts';

const OUT = path.join(import.meta.dirname, '..', 'docs', 'screenshots');
const DAY_MS = 86_400_000;
const DAYS = 14;

const PROSE = {
  anthropic: 'Use PostgreSQL: orders are relational, and you will want transactions across orders, lines and payments.',
  openai: 'PostgreSQL is the safer default here: the data is relational and refunds need transactions.',
  google: 'MongoDB fits better if order documents vary a lot by market; otherwise PostgreSQL.',
};
const VERDICT = JSON.stringify({
  answer: 'PostgreSQL: orders, lines and payments are relational, and refunds need transactions. Keep the odd per-market field in a JSON column.',
  agreement: 'majority',
  agreed: ['The data has relational structure', 'Transactions matter for refunds'],
  disagreements: [
    {
      topic: 'which database',
      sides: [
        { candidates: ['A', 'B'], position: 'PostgreSQL' },
        { candidates: ['C'], position: 'MongoDB, if documents vary by market' },
      ],
    },
  ],
});

/** Two weeks of a team's calls, a few a day, so the chart has bars to stack. */
async function bookHistory(h: Harness, today: number): Promise<void> {
  const calls: [string, string, string, string, number][] = [
    ['openai', 'gpt-6.2-sol', 'U04ALICE', 'C-eng', 4_200_000],
    ['anthropic', 'claude-sonnet-5-5', 'U07BOB', 'C-eng', 9_100_000],
    ['google', 'gemini-3.1-pro-preview', 'U04ALICE', 'C-support', 6_300_000],
  ];
  for (let d = DAYS - 1; d >= 1; d--) {
    for (const [i, [vendor, model, user, channel, nano]] of calls.entries()) {
      if ((d + i) % 3 === 0) continue;
      const cost = Math.round(nano * (0.5 + ((d * 7 + i * 3) % 10) / 10));
      await h.hive.books.settle({ keys: [], costNano: cost, row: row(today - d * DAY_MS + i * 3_600_000, vendor, model, user, channel, cost) });
    }
  }
}

function row(at: number, vendor: string, model: string, user: string, channel: string, costNano: number): LedgerRow {
  const tokens = { input_tokens: Math.round(costNano / 3000), output_tokens: Math.round(costNano / 20000), cache_read_tokens: 0, cache_write_tokens: 0 };
  return {
    at,
    workspace_id: 'local',
    channel_id: channel,
    user_id: user,
    vendor,
    model,
    ...tokens,
    reasoning_tokens: 0,
    cost_nano: costNano,
    evidence_id: 'E',
    estimated: 0,
  };
}

async function main(): Promise<void> {
  const executable = chromiumPath();
  if (!executable) throw new Error("No Chromium: install Debian's chromium or set HIVE_TEST_CHROMIUM.");
  const h = await startHarness({
    vendors: {
      anthropic: (req: FakeRequest) =>
        isJudge(req) ? { text: VERDICT, usage: { input: 4100, output: 700 } } : { text: PROSE.anthropic, usage: { input: 2300, output: 410 } },
      openai: () => ({ text: PROSE.openai, usage: { input: 1700, output: 250 } }),
      google: () => ({ text: PROSE.google, usage: { input: 3100, output: 520 } }),
    },
    env: { HIVE_PUBLIC_URL: 'http://localhost:1', LOG_LEVEL: 'silent' },
  });
  const server = await startPagesServer({ port: 0, host: '127.0.0.1', pages: h.hive.pages!, log: h.hive.log });
  const browser = await launchChromium(executable);
  try {
    const today = Date.now();
    await bookHistory(h, today);
    const reply = await h.run('/consensus --yes Which database should we use for the orders service?');
    await h.hive.evidence.flush();
    const local = (url: string, extra = '') => {
      const u = new URL(url);
      return `http://127.0.0.1:${server.port}${u.pathname}${u.search}${extra}`;
    };
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const spend = /(http:\/\/localhost:1\/spend\?\S+)/.exec((await h.run('/hive usage link')).text)![1]!;
    const pages: [string, string][] = [
      ['evidence-page.png', local(splitEvidenceLink(reply.footer!)!.url)],
      ['spend-page.png', local(spend, `&period=${day(today - (DAYS - 1) * DAY_MS)}..${day(today)}`)],
    ];
    fs.mkdirSync(OUT, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    for (const [name, url] of pages) {
      const res = await page.goto(url);
      if (res?.status() !== 200) throw new Error(`${name}: the page answered ${res?.status()}`);
      await page.screenshot({ path: path.join(OUT, name), fullPage: true });
      console.log(`${path.join('docs', 'screenshots', name)}: ${fs.statSync(path.join(OUT, name)).size} bytes`);
    }
  } finally {
    await browser.close();
    await server.close();
    await h.close();
  }
}

await main();
