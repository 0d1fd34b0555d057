import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPagesServer, type PagesServer } from '../../../adapters/web/pages-server.ts';
import { brokenShortCells, describeInBrowser, sidewaysOverflow, useBrowser } from '../../helpers/browser.ts';
import { startHarness, type Harness } from '../../helpers/hive-harness.ts';

let h: Harness | undefined;
let server: PagesServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.close();
  [h, server] = [undefined, undefined];
});

/** A bot with pages on and this month's calls from three vendors and two users, its pages on loopback. */
async function spent() {
  h = await startHarness({
    vendors: {
      openai: () => ({ text: 'forty-two', usage: { input: 1200, output: 300 } }),
      anthropic: () => ({ text: 'forty-two', usage: { input: 2500, output: 650 } }),
      google: () => ({ text: 'forty-two', usage: { input: 900, output: 120 } }),
    },
    env: { HIVE_PUBLIC_URL: 'http://localhost:1' },
  });
  await h.run('/ask --yes --model openai:gpt-6-luna what is 6x7');
  await h.run('/ask --yes --model openai:gpt-6-luna and 7x8', { userId: 'U-second' });
  await h.run('/consensus --yes what is 6x7');
  server = await startPagesServer({ port: 0, host: '127.0.0.1', pages: h.hive.pages!, log: h.hive.log });
  const link = /(http:\/\/localhost:1\/spend\?\S+)/.exec((await h.run('/hive usage link')).text)![1]!;
  const u = new URL(link);
  return { url: `http://127.0.0.1:${server.port}${u.pathname}${u.search}`, origin: `http://127.0.0.1:${server.port}` };
}

/** `/hive usage`'s reply as numbers: its period and total, and each breakdown's lines (name → "$x · n"). */
function chatUsage(text: string) {
  const head = /^\*Usage (\S+ → \S+) \(UTC\)\*: (\$[\d.,]+) · ([\d,]+) calls?/.exec(text)!;
  const sections: Record<string, Record<string, string>> = {};
  let current = '';
  for (const line of text.split('\n').slice(1)) {
    const title = /^\*(.+)\*$/.exec(line);
    const item = /^• (.+?): (\$[\d.,]+|cost unknown) · ([\d,]+) calls?/.exec(line);
    if (title) sections[(current = title[1]!)] = {};
    else if (item) sections[current]![item[1]!] = `${item[2]} · ${item[3]}`;
  }
  return { period: head[1]!, total: head[2]!, calls: head[3]!, sections };
}

/** A breakdown table on the page as the same "name → $x · n" pairs. */
async function pageTable(page: Page, caption: string): Promise<Record<string, string>> {
  const rows = page.locator(`table:has(caption:text-is("${caption}")) tbody tr`);
  const out: Record<string, string> = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const [name, spend, calls] = await rows.nth(i).locator('th, td').allTextContents();
    out[name!] = `${spend} · ${calls}`;
  }
  return out;
}

describeInBrowser('the spend page, in Chromium', () => {
  const browser = useBrowser();

  it('GIVEN the /hive usage link THEN the chart is drawn and the totals and tables equal /hive usage for the period', async () => {
    const { url } = await spent();
    const w = await browser.open();
    expect((await w.page.goto(url))!.status()).toBe(200);
    const chat = chatUsage((await h!.run('/hive usage')).text);
    expect(chat.sections['By model']).toBeDefined();

    const svg = w.page.locator('figure svg');
    expect(await svg.count()).toBe(1);
    expect((await svg.boundingBox())!.height).toBeGreaterThan(100);
    for (const vendor of ['anthropic', 'google', 'openai']) expect(await svg.locator(`text:text-is("${vendor}")`).count()).toBeGreaterThan(0);

    expect(await w.page.locator('h1').textContent()).toBe(`Spend ${chat.period} (UTC)`);
    expect(await w.page.locator('dt:text-is("Total") + dd').first().textContent()).toBe(chat.total);
    expect(await w.page.locator('dt:text-is("Calls") + dd').first().textContent()).toBe(chat.calls);
    expect(chat.calls).toBe('5');
    for (const caption of ['By model', 'By vendor', 'By user', 'By channel']) expect(await pageTable(w.page, caption), caption).toEqual(chat.sections[caption]);
  });

  it('GIVEN the page THEN no dialog, no CSP violation, nothing loaded off the origin', async () => {
    const { url, origin } = await spent();
    const w = await browser.open();
    expect((await w.page.goto(url))!.status()).toBe(200);
    expect(await w.page.locator('figure svg').count()).toBe(1);
    expect(w.dialogs).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    expect(await w.page.evaluate<string>('getComputedStyle(document.body).marginTop')).toBe('0px');
    for (const u of w.requests) expect(u.startsWith(`${origin}/`) || u.startsWith('data:'), u).toBe(true);
  });

  it('GIVEN a 375px-wide phone THEN the page, chart included, does not scroll sideways', async () => {
    const { url } = await spent();
    const { page } = await browser.open({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    expect((await page.goto(url))!.status()).toBe(200);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(4);
    expect((await page.locator('figure svg').boundingBox())!.width).toBeLessThanOrEqual(375);
    expect(await brokenShortCells(page)).toEqual([]);
  });
});
