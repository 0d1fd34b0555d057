import { afterEach, describe, expect, it } from 'vitest';
import { startPagesServer, type PagesServer } from '../../adapters/web/pages-server.ts';
import { createLinkSigner } from '../../src/keys/link-signer.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { splitEvidenceLink } from '../../src/shared/footer-link.ts';
import { replaceTerms } from '../../src/shared/platform-terms.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
let server: PagesServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.close();
  [h, server] = [undefined, undefined];
});

const DAY_MS = 86_400_000;
const PLANTED = '<script>alert("x")</script> & \'quoted\'';

/** A clock a test moves forward: the real one, plus whatever the test has skipped. */
function skippingClock(): Clock & { skip(ms: number): void } {
  let offset = 0;
  return { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), skip: (ms) => void (offset += ms) };
}

/** A bot with pages on, one `/ask` answered with a planted script, and its pages served on loopback. */
async function answered(clock = skippingClock()) {
  h = await startHarness({
    vendors: { openai: () => ({ text: `Here: ${PLANTED}`, usage: { input: 1200, output: 300 } }) },
    env: { HIVE_PUBLIC_URL: 'http://localhost:1' },
    clock,
  });
  const reply = await h.run(`/ask --yes --model openai:gpt-6-luna what is ${PLANTED}`);
  await h.hive.evidence.flush();
  server = await startPagesServer({ port: 0, host: '127.0.0.1', pages: h.hive.pages!, log: h.hive.log });
  const linked = splitEvidenceLink(reply.footer!)!;
  const local = (url: string) => {
    const u = new URL(url);
    return `http://127.0.0.1:${server!.port}${u.pathname}${u.search}`;
  };
  const get = async (url: string, init?: RequestInit) => {
    const r = await fetch(local(url), init);
    return { status: r.status, body: await r.text(), headers: r.headers };
  };
  return { reply, linked, get, clock };
}

describe('the evidence page behind a footer link', () => {
  it('GIVEN HIVE_PUBLIC_URL THEN the footer links its id, and the page shows the call model and the footer cost', async () => {
    const { reply, linked, get } = await answered();
    expect(reply.footer).toMatch(/ · evidence \[[0-9A-Z]{26}\]\(<http:\/\/localhost:1\/evidence\/[0-9A-Z]{26}\?w=local&e=\d+&s=[\w-]{43}>\)$/);
    const cost = /· (\$[\d.]+) ·/.exec(reply.footer!)![1]!;
    const page = await get(linked.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('gpt-6-luna');
    expect(page.body).toContain(`<dt>Total cost</dt><dd>${cost}</dd>`);
    expect(page.body).toMatch(new RegExp(`<td>${cost.replace('$', '\\$')}</td></tr>`));
    expect(page.body).toContain(linked.id);
    expect(page.body).toMatch(/<th scope="col">Model asked<\/th>/);
    expect(page.body).toMatch(/<th scope="row">1<\/th>/);
    // The footer as shown, with the id where the link was.
    const typed = replaceTerms(`${linked.before}${linked.id}`, (t) => (t.kind === 'option' ? `--${t.flag}` : ''));
    const shown = typed.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    expect(page.body).toContain(`<dt>Footer as shown</dt><dd>${shown}</dd>`);
    expect(page.body).toContain('<dt>Rule (as counted in /hive routing)</dt><dd>--model</dd>');
  });

  it('GIVEN a planted script in the question and in the answer THEN the page shows both as text', async () => {
    const { linked, get } = await answered();
    const { body } = await get(linked.url);
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;';
    expect(body).toContain(`what is ${escaped}`);
    expect(body).toContain(`Here: ${escaped}`);
    expect(body).not.toMatch(/<script/i);
  });

  it('GIVEN any page response THEN strict CSP, noindex, no referrer and nosniff are set', async () => {
    const { linked, get } = await answered();
    for (const url of [linked.url, linked.url.replace(/s=\w/, 's=A')]) {
      const { headers } = await get(url);
      expect(headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+'; /);
      expect(headers.get('x-robots-tag')).toContain('noindex');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('GIVEN a tampered, an expired and another workspace link THEN each gets 403 with the same body', async () => {
    const { linked, get, clock } = await answered();
    const u = new URL(linked.url);
    const sig = u.searchParams.get('s')!;
    const tampered = linked.url.replace(`s=${sig}`, `s=${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const longer = linked.url.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 3600}`);
    // A correctly signed link, but for another workspace than the record's.
    const signer = createLinkSigner({ masterKey: h!.hive.config.masterKey!, now: () => clock.now() });
    const foreign = signer.url('http://localhost:1', 'slack:TOTHER', `evidence/${linked.id}`);
    const own = signer.url('http://localhost:1', 'local', `evidence/${linked.id}`);
    expect((await get(own)).status).toBe(200);
    const refusals = [await get(tampered), await get(longer), await get(foreign)];
    clock.skip(7 * DAY_MS + 1000);
    refusals.push(await get(linked.url));
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(new Set(refusals.map((r) => r.body)).size).toBe(1);
    expect(refusals[0]!.body).not.toContain(linked.id);
  });

  it('GIVEN a link opened more than 30 times in a minute THEN 429; POST THEN 405; HEAD THEN headers alone', async () => {
    const { linked, get } = await answered();
    expect((await get(linked.url, { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await get(linked.url, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
    const statuses: number[] = [];
    // 61 requests: whichever minute they fall in, one minute holds more than 30 of them.
    for (let i = 0; i < 60; i++) statuses.push((await get(linked.url)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });

  it('GIVEN no HIVE_PUBLIC_URL THEN the footer is the bare id and there are no pages', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'forty-two', usage: { input: 10, output: 5 } }) } });
    const r = await h.run('/ask --yes --model openai:gpt-6-luna what is 6x7');
    expect(r.footer).toMatch(/ · evidence [0-9A-Z]{26}$/);
    expect(h.hive.pages).toBeUndefined();
    expect(h.hive.host.pages).toBeUndefined();
  });
});
