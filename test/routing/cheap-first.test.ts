import { afterEach, describe, expect, it } from 'vitest';
import { personaResponder, type PersonaCase } from '../fakes/model-persona.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import type { LedgerRecord } from '../../src/money/ledger.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CASES: PersonaCase[] = [
  { match: /capital of France/, weak: { text: 'Paris.' }, strong: { text: 'Paris.' } },
  { match: /17 \* 3/, weak: { text: { openai: '51', anthropic: '**52**' } }, strong: { text: '51' } },
  { match: /7 \* 6/, weak: { text: { openai: 'The answer is 42.', anthropic: '**42**' } }, strong: { text: '42' } },
  { match: /Collatz/, weak: { text: 'It is probably true for all n.', unsure: true }, strong: { text: 'Unproven: it is an open problem.' } },
];

async function cheapFirstBot(): Promise<Harness> {
  h = await startHarness({ vendors: { openai: personaResponder(CASES) } });
  const set = await h.run('/hive lanes default cheap-first');
  expect(set.text).toContain('Workspace default: cheap-first');
  return h;
}

async function ledgerRows(bot: Harness): Promise<LedgerRecord[]> {
  const rows: LedgerRecord[] = [];
  for await (const r of bot.hive.ledger.rows('local', '2000-01-01', '2100-01-01')) rows.push(r);
  return rows;
}

describe('cheap first', () => {
  it('keeps a sure cheap answer: one call, no confidence line shown', async () => {
    const bot = await cheapFirstBot();
    const reply = await bot.run('/ask what is the capital of France?');
    expect(reply.text).toBe('Paris.');
    expect(reply.footer).toContain('gpt-6-luna · cheap (cheap first: sure)');
    expect(bot.vendors.openai!.requests.filter((r) => r.model !== '')).toHaveLength(1);
    expect(bot.vendors.openai!.requests[0]!.promptText).toContain('[[confidence: sure]]');
  });

  it('escalates an unsure cheap answer once: the footer says so, both calls are booked', async () => {
    const bot = await cheapFirstBot();
    const reply = await bot.run('/ask is the Collatz conjecture true?');
    expect(reply.text).toBe('Unproven: it is an open problem.');
    expect(reply.footer).toContain('gpt-6.2-sol · balanced (cheap first: escalated, gpt-6-luna unsure)');
    expect(reply.footer).toMatch(/ · cheap attempt \$0\.000\d+ · /);
    const calls = bot.vendors.openai!.requests.filter((r) => r.model !== '');
    expect(calls.map((r) => r.model)).toEqual(['gpt-6-luna', 'gpt-6.2-sol']);
    expect(calls[1]!.promptText).not.toContain('confidence');
    await bot.hive.evidence.flush();
    const rows = await ledgerRows(bot);
    expect(rows.map((r) => [r.model, r.lane, r.route])).toEqual([
      ['gpt-6-luna', 'cheap', 'cheap first'],
      ['gpt-6.2-sol', 'balanced', 'cheap first: escalated'],
    ]);
    const report = (await bot.run('/hive routing')).text;
    expect(report).toMatch(/• cheap first: escalated → balanced: 1 job \(100%\) · \$[\d.]+ \(\d+% of spend\)/);
    expect(report).toMatch(/• cheap first \(calls of jobs that moved on or failed\): 0 jobs \(0%\) · \$0\.000\d+/);
    expect(report).toMatch(/• cheap \(calls of jobs that moved on or failed\): 0 jobs \(0%\) · \$0\.000\d+/);
  });

  it('asks two cheap models of different vendors at once, and escalates when their short answers differ', async () => {
    h = await startHarness({ vendors: { openai: personaResponder(CASES), anthropic: personaResponder(CASES) } });
    await h.run('/hive lanes default cheap-first');
    const agreed = await h.run('/ask what is 7 * 6?');
    expect(agreed.footer).toContain('cheap (cheap first: agreed)');
    expect(agreed.footer).toContain('claude-haiku-5-5 and gpt-6-luna agree');
    const split = await h.run('/ask what is 17 * 3?');
    expect(split.text).toBe('51');
    expect(split.footer).toContain('balanced (cheap first: escalated, claude-haiku-5-5 and gpt-6-luna disagree)');
    const calls = [...h.vendors.openai!.requests, ...h.vendors.anthropic!.requests].filter((r) => r.model !== '');
    expect(calls.map((r) => r.model).sort()).toEqual(['claude-haiku-5-5', 'claude-haiku-5-5', 'claude-sonnet-5-5', 'gpt-6-luna', 'gpt-6-luna']);
    await h.hive.evidence.flush();
    expect(await ledgerRows(h)).toHaveLength(5);
  });

  it('a lane flag or a channel lane still wins over the policy', async () => {
    const bot = await cheapFirstBot();
    const flagged = await bot.run('/ask --deep is the Collatz conjecture true?');
    expect(flagged.footer).toContain('deep (');
    await bot.run('/hive lanes channel balanced');
    const channel = await bot.run('/ask is the Collatz conjecture true?');
    expect(channel.footer).toContain('balanced (channel default)');
    expect(bot.vendors.openai!.requests.every((r) => !r.promptText.includes('confidence'))).toBe(true);
  });
});
