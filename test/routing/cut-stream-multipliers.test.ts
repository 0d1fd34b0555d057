import { afterEach, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { ZERO_USAGE, type Usage } from '../../src/shared/provider-spec.ts';
import type { FakeBehaviour, FakeRequest, FakeUsage } from '../fakes/fake-vendor.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { createScaledClock } from '../helpers/scaled-clock.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Eight words, streamed one chunk each, then the socket is cut: the whole answer was generated, its usage never sent. */
const ANSWER = 'one two three four five six seven eight';
const STREAMED_TOKENS = Math.ceil(ANSWER.length / 4);

/** The first call is cut after streaming all of `ANSWER`; the retry answers. Both are served as `usage` says (geo, tier). */
function cutThenAnswer(usage: Partial<FakeUsage>) {
  let seen = 0;
  return (req: FakeRequest): FakeBehaviour =>
    req.model && seen++ === 0
      ? { text: ANSWER, usage: { input: 5_000, output: 30, ...usage }, cutAfterChunks: ANSWER.split(' ').length }
      : { text: 'forty-two', usage: { input: 5_000, output: 4, ...usage } };
}

async function run(line: string) {
  const r = await h!.run(line);
  const id = /evidence (\w{26})/.exec(r.footer!)![1]!;
  const ev = (await h!.hive.evidence.get(id, 'local'))!;
  const day = ev.createdAt.slice(0, 10);
  const rows = [];
  for await (const row of h!.hive.ledger.rows('local', day, day)) rows.push(row);
  return { r, ev, rows };
}

const usd = (vendor: 'anthropic' | 'openai', model: string, u: Usage, at: string) => computeCost(builtInPrices, vendor, model, u, { at: new Date(at) })!.usd;

describe('a stream cut after it began, then retried, keeps every multiplier the vendor reported', () => {
  it('GIVEN Opus 5.5 with US-only inference cut after streaming THEN the cut attempt costs 1.1× in the evidence, the ledger and the footer', async () => {
    h = await startHarness({ vendors: { anthropic: cutThenAnswer({ inferenceGeo: 'us' }) }, clock: createScaledClock(100) });
    const { r, ev, rows } = await run('/ask --model anthropic:claude-opus-5-5 what is 6x7');
    expect(r.text).toBe('forty-two');
    const [cut, good] = ev.calls;
    // The vendor's input count from message_start, the output from the streamed text; inference ran in the US.
    const cutUsage: Usage = { ...ZERO_USAGE, inputTokens: 5_000, outputTokens: STREAMED_TOKENS };
    const global = usd('anthropic', 'claude-opus-5-5', cutUsage, cut!.startedAt);
    // $4/M in, $20/M out: 5,000 in + 10 out = $0.0202 globally; US-only $0.02222.
    expect(global).toBe(0.0202);
    expect(cut).toMatchObject({ outcome: 'error', estimated: 'answer cut off', usage: { inferenceGeo: 'us' }, costUsd: 0.02222 });
    expect(good!.costUsd).toBe(
      usd('anthropic', 'claude-opus-5-5', { ...ZERO_USAGE, inputTokens: 5_000, outputTokens: 4, inferenceGeo: 'us' }, good!.startedAt),
    );
    expect(rows.map((x) => x.costUsd)).toEqual([0.02222, good!.costUsd]);
    expect(r.footer).toContain(`≈${formatUsd(0.02222 + good!.costUsd!)} (estimated: answer cut off)`);
    expect(ev.totalCostUsd).toBeCloseTo(0.02222 + good!.costUsd!, 10);
  });

  it('GIVEN GPT-6 Sol served at flex, cut before its usage chunk THEN the cut attempt is billed at flex (batch) rates, not standard', async () => {
    h = await startHarness({ vendors: { openai: cutThenAnswer({ serviceTier: 'flex' }) }, clock: createScaledClock(100) });
    const { r, ev, rows } = await run('/ask --model openai:gpt-6-sol what is 6x7');
    const [cut, good] = ev.calls;
    expect(cut).toMatchObject({ outcome: 'error', estimated: 'answer cut off', usage: { serviceTier: 'flex', outputTokens: STREAMED_TOKENS } });
    const counted: Usage = { ...ZERO_USAGE, inputTokens: cut!.usage!.inputTokens, outputTokens: STREAMED_TOKENS };
    // $2/$10 standard; flex bills the batch rates, $1/$5: exactly half.
    const standard = usd('openai', 'gpt-6-sol', counted, cut!.startedAt);
    const flex = (counted.inputTokens * 1 + STREAMED_TOKENS * 5) / 1e6;
    expect(cut!.costUsd).toBeCloseTo(flex, 10);
    expect(cut!.costUsd).toBeCloseTo(standard / 2, 10);
    const goodFlex = (5_000 * 1 + 4 * 5) / 1e6;
    expect(good!.costUsd).toBeCloseTo(goodFlex, 10);
    expect(rows.map((x) => x.costUsd)).toEqual([cut!.costUsd, good!.costUsd]);
    expect(r.footer).toContain(`≈${formatUsd(flex + goodFlex)} (estimated: answer cut off)`);
  });
});
