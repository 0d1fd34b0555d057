import { afterEach, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { formatUsd } from '../../src/money/footer.ts';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { createScaledClock } from '../helpers/scaled-clock.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Eight words, streamed one chunk each: cut after all eight, the whole answer was generated. */
const ANSWER = 'one two three four five six seven eight';
const WHOLE = ANSWER.split(' ').length;
const cutAtTheEnd: FakeBehaviour = { text: ANSWER, usage: { input: 120, output: 30 }, cutAfterChunks: WHOLE };
const ok: FakeBehaviour = { text: 'forty-two', usage: { input: 120, output: 4 } };

function cutFirst(n: number) {
  let seen = 0;
  return (req: FakeRequest): FakeBehaviour => (req.model && seen++ < n ? cutAtTheEnd : ok);
}

async function evidenceOf(footerOrText: string) {
  const id = /[Ee]vidence (\w{26})/.exec(footerOrText)![1]!;
  return (await h!.hive.evidence.get(id, 'local'))!;
}

describe('a stream cut after its answer was generated is billed', () => {
  it('GIVEN OpenAI cut before its usage chunk, then a retry THEN the cut call is billed on an estimate, marked so, and the footer, usage and ledger agree', async () => {
    h = await startHarness({ vendors: { openai: cutFirst(1) }, clock: createScaledClock(100) });
    const r = await h.run('/ask --model openai:gpt-6-luna what is 6x7');
    expect(r.text).toBe('forty-two');
    const ev = await evidenceOf(r.footer!);
    const [cut, good] = ev.calls;
    expect(cut).toMatchObject({ outcome: 'error', estimated: 'answer cut off', usage: { outputTokens: Math.ceil(ANSWER.length / 4) } });
    expect(cut!.usage!.inputTokens).toBeGreaterThan(0); // counted locally: OpenAI said nothing
    expect(cut!.costUsd).toBe(computeCost(builtInPrices, 'openai', 'gpt-6-luna', cut!.usage!, { at: new Date(cut!.startedAt) })!.usd);
    const total = cut!.costUsd! + good!.costUsd!;
    expect(r.footer).toContain(`≈${formatUsd(total)} (estimated: answer cut off)`);
    expect(r.footer).toContain('2 attempts paid');
    const usage = await h.run('/hive usage day');
    expect(usage.text).toContain(formatUsd(total));
    const rows = [];
    for await (const row of h.hive.ledger.rows('local', ev.createdAt.slice(0, 10), ev.createdAt.slice(0, 10))) rows.push(row);
    expect(rows.map((x) => x.estimated)).toEqual([true, false]);
  });

  it('GIVEN Anthropic cut after streaming THEN its input is the vendor count and its output the streamed text, not the placeholder of 1', async () => {
    h = await startHarness({ vendors: { anthropic: cutFirst(1) }, clock: createScaledClock(100) });
    const r = await h.run('/ask --model anthropic:claude-haiku-5-5 what is 6x7');
    const [cut] = (await evidenceOf(r.footer!)).calls;
    expect(cut).toMatchObject({ estimated: 'answer cut off', usage: { inputTokens: 120, outputTokens: Math.ceil(ANSWER.length / 4) } });
  });

  it('GIVEN every attempt cut THEN the failure says what the attempts cost', async () => {
    h = await startHarness({ vendors: { openai: cutFirst(99) }, clock: createScaledClock(100) });
    const r = await h.run('/ask --model openai:gpt-6-luna what is 6x7');
    expect(r.tone).toBe('error');
    const ev = await evidenceOf(r.text);
    const billed = ev.calls.filter((c) => c.usage);
    expect(billed.length).toBe(3);
    const usd = billed.reduce((n, c) => n + c.costUsd!, 0);
    expect(r.text).toContain(`The 3 attempts still cost about ${formatUsd(usd)} (estimated: answer cut off).`);
  });
});
