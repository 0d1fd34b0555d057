import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import { startPagesServer, type PagesServer } from '../../adapters/web/pages-server.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { createLinkSigner } from '../../src/keys/link-signer.ts';
import type { LedgerRow } from '../../src/money/books.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
let server: PagesServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.close();
  [h, server] = [undefined, undefined];
});

const PLANTED_MODEL = '<script>alert("m")</script>';
const PLANTED_USER = 'U"><script>alert(1)</script>';

function row(at: string, vendor: string, model: string, user: string, costNano: number): LedgerRow {
  const zero = { input_tokens: 100, output_tokens: 50, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  return {
    at: Date.parse(at),
    workspace_id: 'local',
    channel_id: 'C1',
    user_id: user,
    vendor,
    model,
    ...zero,
    cost_nano: costNano,
    evidence_id: 'E',
    estimated: 0,
  };
}

/** A bot with pages on and a November of calls from two vendors (one model and one user id planted), served on loopback. */
async function november() {
  h = await startHarness({
    store: 'sqlite',
    vendors: { openai: () => ({ text: 'forty-two', usage: { input: 10, output: 5 } }) },
    env: { HIVE_PUBLIC_URL: 'http://localhost:1' },
  });
  const calls: [string, string, string, string, number][] = [
    ['2026-11-02T10:00:00Z', 'openai', 'gpt-6-luna', 'U1', 3_000_000],
    ['2026-11-02T11:00:00Z', 'anthropic', 'claude-sonnet-5', 'U2', 7_000_000],
    ['2026-11-05T09:00:00Z', 'openai', 'gpt-6-luna', 'U1', 2_000_000],
    ['2026-11-09T09:00:00Z', 'openai', PLANTED_MODEL, PLANTED_USER, 1_000_000],
  ];
  for (const [at, vendor, model, user, nano] of calls) await h.hive.books.settle({ keys: [], costNano: nano, row: row(at, vendor, model, user, nano) });
  server = await startPagesServer({ port: 0, host: '127.0.0.1', pages: h.hive.pages!, log: h.hive.log });
  const local = (url: string) => {
    const u = new URL(url, 'http://localhost:1');
    return `http://127.0.0.1:${server!.port}${u.pathname}${u.search}`;
  };
  const get = async (url: string) => {
    const r = await fetch(local(url));
    return { status: r.status, body: await r.text(), headers: r.headers };
  };
  return { get };
}

function ask(line: string, admin: boolean): Promise<Reply> {
  const [command, ...rest] = line.slice(1).split(' ');
  return new Promise<Reply>((resolve) => {
    const inv: Invocation = {
      ...{ platform: 'test', workspaceId: 'local', channelId: 'C1', userId: 'U-member', command: command!, text: rest.join(' ') },
      isAdmin: async () => admin,
      respond: async (r) => resolve(r),
    };
    void h!.hive.dispatcher.handle(inv);
  });
}

async function cli(argv: string[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const env = { HIVE_DATA_DIR: h!.dataDir, HIVE_STORE_URL: `sqlite://${path.join(h!.dataDir, 'hive.sqlite')}`, LOG_LEVEL: 'silent' };
  expect(await runCli(argv, env, { stdin: process.stdin, stdout: out, stderr: new PassThrough() })).toBe(0);
  return text;
}

const linkIn = (text: string) => /(http:\/\/localhost:1\/spend\?w=local&e=\d+&s=[\w-]{43})/.exec(text)![1]!;

describe('/hive usage link and the spend page behind it', () => {
  it('GIVEN an admin THEN a private signed link; GIVEN a member THEN refused in the platform words for admins', async () => {
    await november();
    const admin = await ask('/hive usage link', true);
    expect(admin.visibility).toBe('private');
    expect(linkIn(admin.text)).toMatch(/\/spend\?/);
    const member = await ask('/hive usage link', false);
    expect(member.text).toMatch(/Only .*admins.* can open the workspace's spend page/);
    expect(member.text).not.toContain('/spend?');
  });

  it('GIVEN a period THEN totals and the per-model table equal /hive usage, and the chart carries each vendor', async () => {
    const { get } = await november();
    const link = `${linkIn((await ask('/hive usage link', true)).text)}&period=2026-11`;
    const page = await get(link);
    expect(page.status).toBe(200);
    const summary = await h!.hive.ledger.summarize('local', '2026-11-01', '2026-11-30');
    const chat = (await h!.run('/hive usage 2026-11')).text;
    expect(chat).toContain(`${formatUsd(summary.total.usd)} · 4 calls`);
    expect(page.body).toContain(`<dt>Total</dt><dd>${formatUsd(summary.total.usd)}</dd><dt>Calls</dt><dd>4</dd>`);
    const models = Object.entries(summary.byModel).filter(([m]) => !m.includes('<'));
    expect(models.length).toBe(2);
    for (const [model, b] of models) {
      expect(chat).toContain(`• ${model}: ${formatUsd(b.usd)} · ${b.calls} call`);
      expect(page.body).toContain(`<th scope="row">${model}</th><td>${formatUsd(b.usd)}</td><td>${b.calls}</td>`);
    }
    const svg = /<svg[\s\S]*<\/svg>/.exec(page.body)![0];
    expect(svg).toMatch(/>openai<\/text>/);
    expect(svg).toMatch(/>anthropic<\/text>/);
    expect(svg).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+'; /);
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
  });

  it('GIVEN a planted script in a model id and a user id THEN the page and its chart show them as text', async () => {
    const { get } = await november();
    const { body } = await get(`${linkIn((await ask('/hive usage link', true)).text)}&period=2026-11`);
    expect(body).toContain('&lt;script&gt;alert(&quot;m&quot;)&lt;/script&gt;');
    expect(body).toContain('U&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toMatch(/<script/i);
  });

  it('GIVEN the export links THEN the CSV equals hive usage --csv and the JSON lines equal hive evidence export', async () => {
    const { get } = await november();
    await h!.run('/ask --yes --model openai:gpt-6-luna what is 6x7');
    await h!.hive.evidence.flush();
    const link = `${linkIn((await ask('/hive usage link', true)).text)}&period=2026-11`;
    const { body } = await get(link);
    const href = (name: string) => /href="([^"]+)"/.exec(body.slice(body.indexOf(name) - 200))![1]!.replaceAll('&amp;', '&');
    const csv = await get(href('>Calls as CSV<'));
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.body).toBe(await cli(['usage', '--period', '2026-11', '--csv']));
    expect(csv.body.split('\n').length).toBe(6);
    const jsonl = await get(href('>Evidence as JSON lines<'));
    expect(jsonl.body).toMatch(/^\{"id":"[0-9A-Z]{26}"/);
    expect(jsonl.body).toBe(await cli(['evidence', 'export', '--since', '2026-11-01', '--workspace', 'local']));
  });

  it('GIVEN a tampered link, another workspace or page, or a bad period THEN 403 alike, or 400 for the period', async () => {
    const { get } = await november();
    const link = linkIn((await ask('/hive usage link', true)).text);
    const sig = new URL(link).searchParams.get('s')!;
    const tampered = link.replace(`s=${sig}`, `s=${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const otherWs = link.replace('w=local', 'w=slack%3ATOTHER');
    const signer = createLinkSigner({ masterKey: h!.hive.config.masterKey!, now: () => Date.now() });
    const evidenceSig = new URL(signer.url('http://localhost:1', 'local', 'evidence/01HZZZZZZZZZZZZZZZZZZZZZZZ')).search;
    const refusals = [await get(tampered), await get(otherWs), await get(`/spend${evidenceSig}`), await get(tampered.replace('/spend?', '/spend/usage.csv?'))];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(new Set(refusals.map((r) => r.body)).size).toBe(1);
    const bad = await get(`${link}&period=${encodeURIComponent('<b>2026-13</b>')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('&lt;b&gt;2026-13&lt;/b&gt;');
  });
});
