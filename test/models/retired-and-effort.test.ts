import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { computeCost } from '../../src/money/cost.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ok = () => ({ text: 'ok', usage: { input: 1_000, output: 500 } });
const frozenAt = (iso: string): Clock => ({ now: () => Date.parse(iso), sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 5), signal) });
const generated = (h: Harness, v: 'anthropic' | 'openai' | 'google') => h.vendors[v]!.requests.filter((r) => r.model !== '');

describe('a retired model is refused before any call, with its successor named', () => {
  it('GIVEN --model google:gemini-2.0-flash THEN the reply names the successor still served (2.5 Flash retired too) and no request reaches the fake', async () => {
    h = await startHarness({ vendors: { google: ok } });
    const r = await h.run('/ask --model google:gemini-2.0-flash hello');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(
      /Gemini 2\.0 Flash \(google:gemini-2\.0-flash\) was retired by Google Gemini on 2026-06-01\. Use its successor google:gemini-3\.5-flash-lite instead/,
    );
    expect(h.vendors.google!.requests).toHaveLength(0);
    const lanes = await h.run('/hive lanes set cheap anthropic:claude-3-5-haiku');
    expect(lanes.text).toMatch(/successor anthropic:claude-haiku-5-5[\s\S]*Usage: \/hive lanes/);
  });

  it('GIVEN a stored lane naming a model that retires on a date THEN after that date the lane skips it without calling it', async () => {
    h = await startHarness({ vendors: { openai: ok, google: ok }, clock: frozenAt('2027-01-14T00:00:00Z'), equalLimits: true });
    await h.hive.ctx.settings.update('local', (s) => void (s.lanes = { cheap: ['openai:gpt-4o-mini', 'google:gemini-3.8-flash'] }));
    const r = await h.run('/ask --cheap hello');
    expect(r.tone, r.text).not.toBe('error');
    expect(r.footer).toMatch(/^gemini-3\.8-flash · cheap .*via google \(openai retired\)/);
    expect(generated(h, 'openai')).toHaveLength(0);
  });

  it('GIVEN only a retired model in the lane THEN the job is refused with the successor, and no request is made', async () => {
    h = await startHarness({ vendors: { openai: ok }, clock: frozenAt('2027-02-01T00:00:00Z') });
    await h.hive.ctx.settings.update('local', (s) => void (s.lanes = { balanced: ['openai:gpt-4o'] }));
    const r = await h.run('/ask --balanced explain the deploy');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/GPT-4o \(openai:gpt-4o\) was retired by OpenAI on 2027-01-14\. Use its successor openai:gpt-6-luna/);
    expect(generated(h, 'openai')).toHaveLength(0);
  });
});

describe('the shutdowns of late 2026', () => {
  it.each([
    ['openai:gpt-5', 'gpt-6.1-sol'],
    ['openai:gpt-5-mini-2025-08-07', 'gpt-6.1-terra'],
    ['openai:gpt-5-nano', 'gpt-6-luna'],
  ])('GIVEN %s THEN it answers until 2026-12-10 and is refused from 2026-12-11 with %s named', async (name, successor) => {
    h = await startHarness({ vendors: { openai: ok }, clock: frozenAt('2026-12-10T23:59:59Z') });
    const before = await h.run(`/ask --yes --model ${name} hello`);
    expect(before.tone, before.text).not.toBe('error');
    expect(generated(h, 'openai')).toHaveLength(1);
    await h.close();
    h = await startHarness({ vendors: { openai: ok }, clock: frozenAt('2026-12-11T00:00:00Z') });
    const after = await h.run(`/ask --yes --model ${name} hello`);
    expect(after.tone).toBe('error');
    expect(after.text).toContain(`was retired by OpenAI on 2026-12-11. Use its successor openai:${successor} instead`);
    expect(generated(h, 'openai')).toHaveLength(0);
  });

  it.each([
    ['openai:gpt-4.1-nano', 'on 2026-10-23', 'openai:gpt-5.6-luna'],
    ['openai:gpt-4o-2024-05-13', 'on 2026-10-23', 'openai:gpt-5.6-sol'],
    ['google:gemini-2.5-pro', 'on 2026-12-01', 'google:gemini-3.8-flash'],
    ['google:gemini-2.5-flash', 'on 2026-12-01', 'google:gemini-3.5-flash-lite'],
  ])('GIVEN %s today THEN it is refused as retired %s, naming %s, before any call', async (name, on, successor) => {
    const vendor = name.startsWith('google') ? 'google' : 'openai';
    h = await startHarness({ vendors: { [vendor]: ok }, clock: frozenAt('2026-12-07T12:00:00Z') });
    const r = await h.run(`/ask --yes --model ${name} hello`);
    expect(r.tone).toBe('error');
    expect(r.text).toContain(`) was retired by ${vendor === 'google' ? 'Google Gemini' : 'OpenAI'} ${on}. Use its successor ${successor} instead`);
    expect(generated(h, vendor)).toHaveLength(0);
  });
});

describe('an effort suffix', () => {
  it('is priced as its model (the suffix never breaks the lookup)', () => {
    const u = { ...ZERO_USAGE, inputTokens: 1_000, outputTokens: 500 };
    const bare = computeCost(builtInPrices, 'anthropic', 'claude-opus-5-5', u, { at: new Date() })!;
    expect(computeCost(builtInPrices, 'anthropic', 'claude-opus-5-5@high', u, { at: new Date() })).toEqual(bare);
    expect(bare.usd).toBe((1_000 * 4_000 + 500 * 20_000) / 1e9);
  });

  it('rides a deep-lane answer to the footer, priced, and reaches the vendor as its effort parameter', async () => {
    h = await startHarness({ vendors: { anthropic: ok } });
    const r = await h.run('/ask --deep --yes prove the scheduler never starves a job');
    expect(r.footer).toMatch(/^claude-opus-5-5@high · deep \(--deep\) · 1,000→500 tok · \$0\.014 · /);
    expect(generated(h, 'anthropic').map((q) => q.body)).toMatchObject([{ model: 'claude-opus-5-5', output_config: { effort: 'high' } }]);
  });

  it('is checked against the model when typed: an effort it lacks is refused with the ones it has', async () => {
    h = await startHarness({ vendors: { openai: ok } });
    const r = await h.run('/ask --model openai:gpt-6.2-sol@none hello');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/openai:gpt-6\.2-sol accepts effort low, medium, high, xhigh, max, not "none"/);
    const ok2 = await h.run('/ask --model openai:gpt-6-luna@NONE hello');
    expect(ok2.footer).toMatch(/^gpt-6-luna@none · /);
    expect(generated(h, 'openai').map((q) => q.body)).toMatchObject([{ model: 'gpt-6-luna', reasoning_effort: 'none' }]);
  });
});
