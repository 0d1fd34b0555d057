import { afterEach, expect, it } from 'vitest';
import { startPagesServer, type PagesServer } from '../../../adapters/web/pages-server.ts';
import { createLinkSigner } from '../../../src/keys/link-signer.ts';
import { formatUsd } from '../../../src/money/footer.ts';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import { splitEvidenceLink } from '../../../src/shared/footer-link.ts';
import type { FakeRequest } from '../../fakes/fake-vendor.ts';
import { isJudge } from '../../consensus/harness.ts';
import { brokenShortCells, describeInBrowser, sidewaysOverflow, useBrowser } from '../../helpers/browser.ts';
import { startHarness, type Harness } from '../../helpers/hive-harness.ts';

let h: Harness | undefined;
let server: PagesServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.close();
  [h, server] = [undefined, undefined];
});

const DAY_MS = 86_400_000;
const PLANTED = '<script>alert("planted")</script>';
const QUESTION = `Which database for orders? ${PLANTED}`;
const PROSE = {
  anthropic: 'Use PostgreSQL: transactions, mature tooling and JSON columns for the odd schemaless field.',
  openai: `PostgreSQL is the safer default: the data is relational. ${PLANTED}`,
  google: 'MongoDB fits better: the documents vary a lot and the schema will change for months.',
};
const VERDICT = JSON.stringify({
  answer: `PostgreSQL, for transactions and relational data. ${PLANTED}`,
  agreement: 'majority',
  agreed: ['The data has some relational structure'],
  disagreements: [
    {
      topic: 'which database',
      sides: [
        { candidates: ['A', 'B'], position: 'PostgreSQL' },
        { candidates: ['C'], position: 'MongoDB' },
      ],
    },
  ],
});

/** A clock a test moves forward: the real one, plus whatever the test has skipped. */
function skippingClock(): Clock & { skip(ms: number): void } {
  let offset = 0;
  return { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), skip: (ms) => void (offset += ms) };
}

/** A bot whose `/consensus` panel answers in prose (one answer planted) and whose judge synthesises, its pages on loopback. */
async function consensusAnswered(clock = skippingClock()) {
  h = await startHarness({
    vendors: {
      anthropic: (req: FakeRequest) =>
        isJudge(req) ? { text: VERDICT, usage: { input: 4100, output: 700 } } : { text: PROSE.anthropic, usage: { input: 2300, output: 410 } },
      openai: () => ({ text: PROSE.openai, usage: { input: 1700, output: 250 } }),
      google: () => ({ text: PROSE.google, usage: { input: 3100, output: 520 } }),
    },
    env: { HIVE_PUBLIC_URL: 'http://localhost:1' },
    clock,
  });
  const reply = await h.run(`/consensus --yes ${QUESTION}`);
  await h.hive.evidence.flush();
  server = await startPagesServer({ port: 0, host: '127.0.0.1', pages: h.hive.pages!, log: h.hive.log });
  const origin = `http://127.0.0.1:${server.port}`;
  const linked = splitEvidenceLink(reply.footer!)!;
  /** The footer's link, opened on the loopback server instead of the public address. */
  const local = (url: string) => {
    const u = new URL(url);
    return `${origin}${u.pathname}${u.search}`;
  };
  return { reply, linked, local, origin, clock };
}

/** The ledger's rows for one answer: what each call was booked at. */
async function ledgerRows(evidenceId: string) {
  const today = new Date().toISOString().slice(0, 10);
  const rows = [];
  for await (const r of h!.hive.ledger.rows('local', today, today)) if (r.evidenceId === evidenceId) rows.push(r);
  return rows;
}

describeInBrowser('the evidence page of a consensus answer, in Chromium', () => {
  const browser = useBrowser();

  it("GIVEN the footer's link THEN every member shows its model and cost, and the total equals the footer and the ledger", async () => {
    const { reply, linked, local } = await consensusAnswered();
    expect(reply.footer).toContain('synthesis by');
    const footerCost = /· (\$[\d.]+) ·/.exec(reply.footer!)![1]!;
    const { page } = await browser.open();
    expect((await page.goto(local(linked.url)))!.status()).toBe(200);

    const rows = await ledgerRows(linked.id);
    expect(rows).toHaveLength(4); // three members and the judge
    const ledgerTotal = formatUsd(rows.reduce((sum, r) => sum + r.costUsd!, 0));
    const total = await page.locator('dt:text-is("Total cost") + dd').first().textContent();
    expect(total).toBe(footerCost);
    expect(total).toBe(ledgerTotal);

    const members = page.locator('table:has(caption:text-is("Each member, side by side")) tbody tr');
    expect(await members.count()).toBe(3);
    for (const vendor of ['anthropic', 'openai', 'google']) {
      const booked = rows.filter((r) => r.vendor === vendor);
      const model = `${vendor}:${booked[0]!.model}`;
      const row = members.filter({ has: page.locator(`th:text-is("${model}")`) });
      await expect.poll(() => row.count()).toBe(1);
      // The judge ran on Anthropic too: a member's own cost is its first call's.
      expect(await row.locator('td').last().textContent()).toBe(formatUsd(booked[0]!.costUsd!));
    }
  });

  it('GIVEN a planted script in the question and the answers THEN it shows as text: no dialog, no CSP violation, nothing off the origin', async () => {
    const { linked, local, origin } = await consensusAnswered();
    const w = await browser.open();
    expect((await w.page.goto(local(linked.url)))!.status()).toBe(200);
    const text = (await w.page.locator('main').textContent())!;
    expect(text).toContain(QUESTION);
    expect(text).toContain(PROSE.openai);
    expect(text).toContain(`PostgreSQL, for transactions and relational data. ${PLANTED}`);
    expect(await w.page.locator('main script').count()).toBe(0);
    expect(w.dialogs).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    // The hashed stylesheet applied (a blocked one would leave the browser's 8px body margin).
    expect(await w.page.evaluate<string>('getComputedStyle(document.body).marginTop')).toBe('0px');
    expect(w.requests.length).toBeGreaterThan(0);
    for (const url of w.requests) expect(url.startsWith(`${origin}/`) || url.startsWith('data:'), url).toBe(true);
  });

  it('GIVEN a page whose inline style its policy refuses THEN the watch records the violation (so the checks above can fail)', async () => {
    const w = await browser.open();
    await w.page.route('http://127.0.0.1:9/refused', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'content-security-policy': "default-src 'none'" },
        body: '<style>body{margin:0}</style><p>x</p>',
      }),
    );
    await w.page.goto('http://127.0.0.1:9/refused');
    await expect.poll(() => w.cspViolations.length).toBeGreaterThan(0);
    expect(await w.page.evaluate<string>('getComputedStyle(document.body).marginTop')).toBe('8px');
  });

  it('GIVEN a 375px-wide phone THEN the page does not scroll sideways and its wide tables scroll in their box, whole words', async () => {
    const { linked, local } = await consensusAnswered();
    const { page } = await browser.open({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    expect((await page.goto(local(linked.url)))!.status()).toBe(200);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(4);
    expect(await brokenShortCells(page)).toEqual([]);
  });

  it('GIVEN a tampered, an expired and another workspace link THEN 403, and the page names neither the workspace nor the question', async () => {
    const { linked, local, clock } = await consensusAnswered();
    const sig = new URL(linked.url).searchParams.get('s')!;
    const tampered = linked.url.replace(`s=${sig}`, `s=${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const signer = createLinkSigner({ masterKey: h!.hive.config.masterKey!, now: () => clock.now() });
    const foreign = signer.url('http://localhost:1', 'slack:TOTHER', `evidence/${linked.id}`);
    const w = await browser.open();
    const open = async (url: string) => {
      const status = (await w.page.goto(local(url)))!.status();
      return { status, text: (await w.page.locator('body').textContent())!, html: await w.page.content() };
    };
    const refusals = [await open(tampered), await open(foreign)];
    clock.skip(8 * DAY_MS);
    refusals.push(await open(linked.url));
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403]);
    for (const r of refusals) {
      expect(r.text).toContain('This link is not valid');
      for (const secret of ['local', 'TOTHER', linked.id, 'Which database', 'PostgreSQL', 'planted']) expect(r.html).not.toContain(secret);
    }
    expect(w.dialogs).toEqual([]);
    expect(w.cspViolations).toEqual([]);
  });
});
