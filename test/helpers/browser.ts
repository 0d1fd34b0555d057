import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, DEBIAN_CHROMIUM, launchChromium } from './chromium.ts';

/** First paint is slow on two busy cores: waits are generous, and nothing measures time. */
const NAVIGATION_MS = 30_000;
/** Per test: a bot, a browser context and a few page loads. */
export const BROWSER_TEST_MS = 60_000;
/** The launch waits up to 60 s itself; the hook allows a little more. */
const LAUNCH_HOOK_MS = 90_000;

const NO_BROWSER = `no Chromium: set HIVE_TEST_CHROMIUM or install Debian's chromium (${DEBIAN_CHROMIUM})`;

/**
 * A suite that runs in a real browser. Without one it is skipped, named with the reason, so a
 * developer without Chromium still runs the rest; under CI=true a missing browser fails instead,
 * so CI can never pass without having run these.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const path = chromiumPath();
  if (!path && process.env.CI === 'true') {
    describe(name, () => it('finds a Chromium to run in', () => expect.fail(`${NO_BROWSER}; CI must install it (.ci/run)`)));
    return;
  }
  if (!path) console.warn(`${name}: skipped, ${NO_BROWSER}`);
  describe.skipIf(!path)(path ? name : `${name} (skipped: ${NO_BROWSER})`, { timeout: BROWSER_TEST_MS }, body);
}

/** What a page did while a test watched it: dialogs it opened, URLs it requested, CSP violations it hit. */
export interface WatchedPage {
  page: Page;
  dialogs: string[];
  requests: string[];
  cspViolations: string[];
}

/**
 * One Chromium per test file (launching is the slow part), a fresh context per page so no cookie or
 * cache crosses tests; call inside a `describeInBrowser` body. Contexts close after each test.
 */
export function useBrowser(): { open(options?: BrowserContextOptions): Promise<WatchedPage> } {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath()!);
  }, LAUNCH_HOOK_MS);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(options) {
      const context = await browser!.newContext(options);
      contexts.push(context);
      context.setDefaultTimeout(NAVIGATION_MS);
      return watch(await context.newPage());
    },
  };
}

function watch(page: Page): WatchedPage {
  const w: WatchedPage = { page, dialogs: [], requests: [], cspViolations: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => void w.requests.push(r.url()));
  // Chromium reports every resource or inline style a policy refuses on the console.
  page.on('console', (m) => {
    if (/Content[ -]Security[ -]Policy/i.test(m.text())) w.cspViolations.push(m.text());
  });
  return w;
}

/**
 * How much wider than the viewport set for it a page lays out (0 or less when nothing scrolls
 * sideways). Measured against the set width, not `innerWidth`: a mobile browser zooms out to fit
 * wide content, which widens `innerWidth` and would hide the overflow.
 */
export async function sidewaysOverflow(page: Page): Promise<number> {
  // A string: the tests are typed without the DOM library; the expression runs in the page.
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  return scrollWidth - page.viewportSize()!.width;
}

/**
 * Table cells whose short value with no place to wrap (a cost, a vendor, a status) the layout broke
 * across lines: a wide table should scroll in its box, not squeeze "$0.0087" into "$0.00" over "87".
 * Wrapping after a hyphen ("gpt-6.2-" over "sol") is the browser's ordinary line break, not counted.
 */
export async function brokenShortCells(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('th, td')]
    .filter((c) => /^[^\\s-]{2,12}$/.test(c.textContent.trim()))
    .filter((c) => { const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length > 1; })
    .map((c) => c.textContent.trim())`);
}
