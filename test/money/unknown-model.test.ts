import { afterEach, describe, expect, it } from 'vitest';
import { isRetired } from '../../src/models/model-availability.ts';
import { nearestModels } from '../../src/models/model-availability.ts';
import { parseModelRef } from '../../src/shared/types.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const now = new Date();
/** Every provider:model named in a text. */
const named = (text: string) => [...text.matchAll(/\b(?:anthropic|openai|google):[\w.-]+/g)].map((m) => parseModelRef(m[0])!);

describe('unknown models are refused before any call', () => {
  it('GIVEN /ask --model with an unknown id THEN no vendor call, and the nearest current models are named', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 1, output: 1 } }) } });
    const r = await h.run('/ask --model openai:gpt-9 hi');
    expect(r.text).toMatch(/^Hive does not know the OpenAI model openai:gpt-9\. Did you mean openai:\S+, openai:\S+, openai:\S+\?/);
    for (const ref of named(r.text).slice(1)) expect(isRetired(builtInPrices, ref, now)).toBe(false);
    expect(r.text).not.toMatch(/cost unknown/);
    expect(h.vendors.openai!.requests.filter((q) => q.model)).toHaveLength(0);
  });

  it('GIVEN /hive lanes set with an unknown model THEN it is refused and the lane is unchanged', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    const r = await h.run('/hive lanes set cheap openai:gpt-99');
    expect(r.text).toMatch(/Hive does not know the OpenAI model openai:gpt-99\. Did you mean /);
    expect((await h.hive.ctx.settings.get('local')).lanes?.cheap).toBeUndefined();
  });

  it('GIVEN lanes stored with an unknown or a retired model THEN /hive lanes marks them unusable and says why', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    await h.hive.ctx.settings.update('local', (s) => void (s.lanes = { cheap: ['openai:gpt-99', 'openai:gpt-6-luna', 'openai:gpt-4.1-nano'] }));
    const text = (await h.run('/hive lanes')).text;
    expect(text).toContain('✗ openai:gpt-99 (unknown model), ✓ openai:gpt-6-luna, ✗ openai:gpt-4.1-nano (retired)');
  });

  it('GIVEN /consensus --models foo,bar THEN the example it gives names no retired model', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    const text = (await h.run('/consensus --models foo,bar Is 2027 prime?')).text;
    expect(named(text).length).toBeGreaterThan(0);
    for (const ref of named(text)) expect(isRetired(builtInPrices, ref, now)).toBe(false);
  });

  it.each(['anthropic:claude-sonnet-4-7', 'google:gemini-2.5-flash-x', 'openai:gpt-4.1-nanos', 'anthropic:claude-opus-4-2'])(
    'GIVEN %s THEN only current models are suggested',
    (typed) => {
      const near = nearestModels(builtInPrices, parseModelRef(typed)!, now);
      expect(near).toHaveLength(3);
      for (const id of near) expect(isRetired(builtInPrices, parseModelRef(id)!, now)).toBe(false);
    },
  );
});
