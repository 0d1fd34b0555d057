import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { recordStatements } from '../helpers/sqlite-statements.ts';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

/** A bot over a fake OpenAI that notes how many statements had run when each request arrived. */
async function bot() {
  const atCall: number[] = [];
  let statements: string[] = [];
  h = await startHarness({
    store: 'sqlite',
    vendors: { openai: () => (atCall.push(statements.length), { text: 'forty-two', usage: { input: 20, output: 3 } }) },
  });
  await h.run('/ask --model openai:gpt-6-luna warm up'); // settings, keys and compiled statements loaded once
  await h.hive.evidence.flush();
  statements = recordStatements();
  return { h, atCall, statements: () => statements };
}

const isTransaction = (s: string[]) => s[0] === 'begin' && s.at(-1) === 'commit' && s.filter((x) => x === 'begin' || x === 'commit').length === 2;

describe('the answer path touches the log store as little as it can', () => {
  it('GIVEN no budget cap THEN two inserts before the vendor call (the job actions name, the call start), and ONE transaction (start out, ledger, counters, evidence) after it, then how the job ended', async () => {
    const { h, atCall, statements } = await bot();
    const r = await h.run('/ask --model openai:gpt-6-luna What is 6 times 7?');
    expect(r.footer).toMatch(/evidence [0-9A-Z]{26}/);
    const before = statements().slice(0, atCall.at(-1));
    const all = statements().slice(atCall.at(-1));
    expect(all.at(-1)).toMatch(/^update "answer_jobs" set "state"/);
    const after = all.slice(0, -1);
    expect(before).toEqual([expect.stringMatching(/^insert into "answer_jobs"/), expect.stringMatching(/^insert into "call_starts"/)]);
    expect(isTransaction(after), after.join('\n')).toBe(true);
    expect(after.some((s) => s.startsWith('delete from "call_starts"'))).toBe(true);
    expect(after.some((s) => s.startsWith('insert into "ledger"'))).toBe(true);
    expect(after.some((s) => s.startsWith('insert into "budget_counters"'))).toBe(true);
    expect(after.some((s) => s.startsWith('insert into "evidence"'))).toBe(true);
    // The prompt and answer follow in a batch behind the answer.
    await h.hive.evidence.flush();
    expect(statements().slice(atCall.at(-1)! + all.length)).toEqual(['begin', expect.stringMatching(/^update "evidence" set "content"/), 'commit']);
    const id = /evidence ([0-9A-Z]{26})/.exec(r.footer!)![1]!;
    const view = await h.hive.evidence.get(id, 'local');
    expect(view?.content).toMatchObject({ answer: 'forty-two' });
  });

  it('GIVEN a workspace cap THEN the call holds its worst case first, and still books in ONE transaction after it', async () => {
    const { h, atCall, statements } = await bot();
    await h.run('/hive budget workspace 5');
    const from = statements().length;
    await h.run('/ask --model openai:gpt-6-luna What is 6 times 7?');
    const before = statements().slice(from, atCall.at(-1));
    const after = statements().slice(atCall.at(-1), -1);
    expect(before.filter((s) => s === 'begin')).toHaveLength(1);
    expect(before.some((s) => s.startsWith('insert into "budget_holds"'))).toBe(true);
    expect(before.at(-1)).toMatch(/^insert into "call_starts"/);
    expect(isTransaction(after), after.join('\n')).toBe(true);
    expect(after.some((s) => s.startsWith('delete from "budget_holds"'))).toBe(true);
    expect(after.some((s) => s.startsWith('insert into "evidence"'))).toBe(true);
  });

  it('GIVEN answers whose prompts are still waiting for their batch THEN closing Hive writes them', async () => {
    const { h: bot1, atCall } = await bot();
    const r = await bot1.run('/ask --model openai:gpt-6-luna What is 6 times 7?');
    expect(atCall).toHaveLength(2);
    const id = /evidence ([0-9A-Z]{26})/.exec(r.footer!)![1]!;
    const file = path.join(bot1.dataDir, 'logs.sqlite');
    const peek = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('select content from evidence where id = ?').get(id) as { content: string | null };
      } finally {
        db.close();
      }
    };
    expect(peek().content).toBeNull(); // written behind the answer, not before it
    h = undefined; // closed here, not by afterEach
    await bot1.hive.close();
    expect(JSON.parse(peek().content!)).toMatchObject({ answer: 'forty-two' });
    await Promise.all(Object.values(bot1.vendors).map((v) => v?.close()));
    fs.rmSync(bot1.dataDir, { recursive: true, force: true });
  });
});
