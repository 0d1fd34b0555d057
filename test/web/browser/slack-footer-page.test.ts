import { afterEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatUsd } from '../../../src/money/footer.ts';
import type { LedgerRecord } from '../../../src/money/ledger.ts';
import { personaResponder, type PersonaCase } from '../../fakes/model-persona.ts';
import { describeInBrowser, useBrowser } from '../../helpers/browser.ts';
import { KEY, TEAM, USER, blockTexts, startHarness, type Harness } from '../../slack/harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CASES: PersonaCase[] = [
  { match: /Collatz/, weak: { text: 'It is probably true for all n.', unsure: true }, strong: { text: 'Unproven: it is an open problem.' } },
];
const CALLS = 'Every call made for this answer, in order';

/** A Slack bot with pages on (served beside its events on its own port), one `/ask` answered in the channel. */
async function askedOnSlack(question: string, policy?: string) {
  h = await startHarness({ keys: { [TEAM]: KEY }, adminUserIds: USER, respond: personaResponder(CASES), env: { HIVE_PUBLIC_URL: 'http://localhost:1' } });
  if (policy) await privateReply(`lanes default ${policy}`);
  await h.slash(question);
  await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
  await h.hive.host.dispatcher.drain();
  await h.hive.evidence.flush();
  const shown = blockTexts(h.slack.of('chat.postMessage')[0]!.body).find((t) => / · evidence /.test(t))!;
  // Slack's mrkdwn link: `<url|label>`, the URL's `&` escaped as Slack requires.
  const link = /^(.*)<([^|>]+)\|([0-9A-Z]{26})>$/.exec(shown)!;
  const url = new URL(link[2]!.replaceAll('&amp;', '&'));
  return { shown, before: link[1]!, id: link[3]!, url, local: `${h.base}${url.pathname}${url.search}` };
}

/** `/hive <text>` from the admin; its private reply's text. */
async function privateReply(text: string): Promise<string> {
  const before = h!.slack.of('response_url').length;
  await h!.slash(text, { command: '/hive' });
  await h!.slack.waitFor(() => h!.slack.of('response_url').length === before + 1);
  return String(h!.slack.of('response_url')[before]!.body.text);
}

async function ledgerRows(evidenceId: string): Promise<LedgerRecord[]> {
  const rows: LedgerRecord[] = [];
  for await (const r of h!.hive.ledger.rows(`slack:${TEAM}`, '2000-01-01', '2100-01-01')) if (r.evidenceId === evidenceId) rows.push(r);
  return rows;
}

/** A fact from a definition list on the page, by its term. */
const fact = (page: Page, term: string) => page.locator(`dt:text-is("${term}") + dd`).first().textContent();

/** The calls table as rows of cells keyed by their column heading. */
async function callRows(page: Page): Promise<Record<string, string>[]> {
  const table = page.locator(`table:has(caption:text-is("${CALLS}"))`);
  const head = await table.locator('thead th').allTextContents();
  const rows = table.locator('tbody tr');
  const out: Record<string, string>[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).locator('th, td').allTextContents();
    out.push(Object.fromEntries(head.map((k, j) => [k, cells[j] ?? ''])));
  }
  return out;
}

describeInBrowser("a Slack footer's evidence link, opened in Chromium", () => {
  const browser = useBrowser();

  for (const c of [
    { name: 'an answer pinned with --model', question: '--model openai:gpt-6-luna what is the capital of France?', policy: undefined, calls: 1 },
    { name: 'a cheap-first answer that escalated', question: 'is the Collatz conjecture true?', policy: 'cheap-first', calls: 2 },
  ]) {
    it(`GIVEN ${c.name} THEN the page's figures equal the footer, the ledger and /hive evidence, and it shows the footer as Slack did`, async () => {
      const { shown, before, id, url, local } = await askedOnSlack(c.question, c.policy);
      expect(url.origin).toBe('http://localhost:1');
      expect(url.pathname).toBe(`/evidence/${id}`);
      // The footer as Slack shows it: model · lane (why) · in→out tok · $cost · latency · … · evidence <link>.
      const f = /^(\S+) · (\w+) \((.+?)\) · (\d+)→(\d+) tok · (\$[\d.]+) · /.exec(before)!;
      const [model, lane, why, tokensIn, tokensOut, cost] = f.slice(1) as [string, string, string, string, string, string];

      const { page } = await browser.open();
      expect((await page.goto(local))!.status()).toBe(200);
      expect(await fact(page, 'Total cost')).toBe(cost);
      expect(await fact(page, 'Tokens')).toBe(`${tokensIn} in, ${tokensOut} out`);
      expect(await fact(page, 'Lane')).toBe(lane);
      expect(await fact(page, 'Why')).toBe(why);
      const calls = await callRows(page);
      expect(calls).toHaveLength(c.calls);
      expect(calls.at(-1)!['Model asked']).toBe(model);
      // An escalated job's footer names its cheap attempt's cost: the first call's.
      expect(/ · cheap attempt (\$[\d.]+) · /.exec(before)?.[1]).toBe(c.calls === 2 ? calls[0]!.Cost : undefined);

      // The ledger booked each call the page lists, with its tokens and cost (the page adds the tier served); their sum is the footer's.
      const rows = await ledgerRows(id);
      expect(rows.map((r) => [r.model, `${r.inputTokens} in, ${r.outputTokens} out`, formatUsd(r.costUsd!)])).toEqual(
        calls.map((r) => [r['Model asked'], /^\d+ in, \d+ out/.exec(r.Usage!)?.[0], r.Cost]),
      );
      expect(formatUsd(rows.reduce((sum, r) => sum + r.costUsd!, 0))).toBe(cost);
      const usage = rows.reduce((t, r) => [t[0]! + r.inputTokens, t[1]! + r.outputTokens], [0, 0]);
      expect(usage.map(String)).toEqual([tokensIn, tokensOut]);

      const evidence = await privateReply(`evidence ${id}`);
      expect(evidence).toContain(`Lane: ${lane} (${why}) · status ok · total ${cost} · `);

      // "Footer as shown": Slack's footer with the link's label in place of the link, unescaped
      // from mrkdwn, options as typed (`--model`; Slack shows them so too).
      const plain = `${before}${id}`.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
      expect(shown).toBe(`${before}<${url.href.replaceAll('&', '&amp;')}|${id}>`);
      expect(await fact(page, 'Footer as shown')).toBe(plain);
    });
  }
});
