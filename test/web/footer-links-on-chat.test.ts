import { describe, expect, it } from 'vitest';
import { createHiveReceiver } from '../../adapters/chat/slack/receiver.ts';
import { renderReply } from '../../adapters/chat/slack/render.ts';
import { renderDiscordMessages, renderDiscordReply } from '../../adapters/chat/discord/render.ts';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import type { HttpPages } from '../../src/chat/http-pages.ts';
import { DEFAULT_HTTP_LIMITS } from '../../src/chat/http-limits.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { renderFooter } from '../../src/money/footer.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { createMemoryAtomic } from '../../src/store/atomic.ts';

const ID = '01JD0000000000000000000000';
const URL_ = `https://hive.example.com/evidence/${ID}?w=slack%3AT1&e=1800000000&s=${'a_b-'.repeat(10)}abc`;
const facts = {
  models: ['gpt-6-luna'],
  lane: 'cheap',
  laneReason: '--model',
  inputTokens: 24,
  outputTokens: 9,
  costUsd: 0.0000069,
  latencyMs: 600,
  evidenceId: ID,
};
const reply = (footer: string): Reply => ({ text: 'forty-two', visibility: 'channel', footer, actions: [{ kind: 'helpful', ref: 'r1' }] });
const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), sink: { write: () => undefined } });

describe('a footer whose evidence id links to its page', () => {
  it('GIVEN an evidence URL THEN the footer keeps the id visible and links it; without one THEN as before', () => {
    expect(renderFooter(facts)).toMatch(/ · evidence 01JD0{22}$/);
    expect(renderFooter({ ...facts, evidenceUrl: URL_ })).toBe(`gpt-6-luna · cheap (--model) · 24→9 tok · $0.0000069 · 0.6 s · evidence [${ID}](<${URL_}>)`);
  });

  it('GIVEN Slack, Discord and the terminal THEN each shows the id as a link to the page (the terminal prints the URL)', () => {
    const footer = renderFooter({ ...facts, evidenceUrl: URL_ });
    const slack = renderReply(reply(footer))
      .at(-1)!
      .blocks.find((b) => b.type === 'context')!;
    expect(JSON.stringify(slack)).toContain(`evidence <${URL_.replace(/&/g, '&amp;')}|${ID}>`);
    expect(renderDiscordReply(reply(footer)).at(-1)).toContain(`-# gpt-6-luna · cheap (--model) · 24→9 tok · $0.0000069 · 0.6 s · evidence [${ID}](<${URL_}>)`);
    expect(renderDiscordMessages(reply(footer)).at(-1)!.footer).toContain(`evidence [${ID}](<${URL_}>)`);
    expect(renderTerminalReply(reply(footer), 1)).toContain(`evidence ${ID} <${URL_}>`);
  });

  it('GIVEN a link pattern anywhere but the end of a Slack footer THEN it stays plain text', () => {
    const sneaky = `[click](<https://evil.example/>) · evidence ${ID}`;
    const slack = JSON.stringify(renderReply(reply(sneaky)).at(-1)!.blocks);
    expect(slack).not.toContain('<https://evil.example/');
    expect(slack).toContain(`evidence ${ID}`);
  });
});

describe("Slack's HTTP server with the pages", () => {
  it('GIVEN pages on THEN /evidence/<id> reaches them, while Slack events, health and unknown paths are unchanged', async () => {
    const seen: string[] = [];
    const pages: HttpPages = {
      routes: ['/evidence/:id'],
      owns: (p) => p.startsWith('/evidence/'),
      serve: (req, res) => (seen.push(req.url!), void res.writeHead(200).end('page')),
    };
    const health = { 'GET /healthz': (_q: unknown, res: import('node:http').ServerResponse) => void res.writeHead(200).end('ok') };
    const receiver = createHiveReceiver({
      signingSecret: 's',
      port: 0,
      host: '127.0.0.1',
      limits: DEFAULT_HTTP_LIMITS,
      log,
      atomic: createMemoryAtomic(),
      routes: health,
      pages,
    });
    const { port } = await receiver.start();
    try {
      const at = (p: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${p}`, init).then(async (r) => [r.status, await r.text()]);
      expect(await at(`/evidence/${ID}?s=x`)).toEqual([200, 'page']);
      expect(await at('/healthz')).toEqual([200, 'ok']);
      expect((await at('/elsewhere'))[0]).toBe(404);
      expect((await at('/slack/events', { method: 'POST', body: '{}' }))[0]).toBe(401);
      expect(seen).toEqual([`/evidence/${ID}?s=x`]);
    } finally {
      await receiver.stop();
    }
  });
});
