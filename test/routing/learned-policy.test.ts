import { afterEach, describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import weights from '../../src/routing/learned-weights.json' with { type: 'json' };
import { createLearnedPolicy } from '../../src/routing/learned-policy.ts';
import type { LearnedWeights } from '../../src/routing/learned-lane.ts';
import type { Adjustment } from '../../src/routing/learned-adjustment.ts';
import { ruleOf } from '../../src/routing/route-rule.ts';
import { personaResponder } from '../fakes/model-persona.ts';
import { offerOf, sendLine } from '../helpers/action-line.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const shipped = async () => weights as LearnedWeights;
const KIND = (n: number) => `what does HTTP ${n} mean for our nginx proxy?`;
const OTHER = 'translate "good morning" into French';

describe('the learned policy', () => {
  it('five "needed strong" events of one kind move that kind past the threshold, not every job; reset forgets them', async () => {
    const policy = createLearnedPolicy(new Keyv<Adjustment>(), shipped);
    const before = await policy.verdict('w1', KIND(502), 0.5);
    const other = await policy.verdict('w1', OTHER, 0.5);
    expect(before.strong).toBe(false);
    for (const code of [400, 401, 403, 404, 429]) await policy.feedback('w1', KIND(code), true, 1000 + code);
    const after = await policy.verdict('w1', KIND(502), 0.5);
    expect(after.strong).toBe(true);
    expect(after.reason).toMatch(/^learned: strong \(0\.\d\d ≥ 0\.\d\d\)$/);
    expect((await policy.verdict('w1', OTHER, 0.5)).p).toBeCloseTo(other.p, 1);
    expect((await policy.verdict('w2', KIND(502), 0.5)).strong).toBe(false);
    const a = await policy.adjustment('w1');
    expect([a.neededStrong, a.enough, a.since]).toEqual([5, 0, 1400]);
    expect(JSON.stringify(a)).not.toContain('HTTP');
    await policy.reset('w1');
    expect((await policy.verdict('w1', KIND(502), 0.5)).p).toBeCloseTo(before.p, 10);
  });

  it('calibrates its threshold on the workspace own recent questions, so a target share holds on that traffic', async () => {
    const traffic = Array.from({ length: 60 }, (_, i) => (i % 2 ? `what does HTTP ${400 + i} mean?` : `Summarize ticket #${i} for the weekly report`));
    let asked = 0;
    let nowMs = 0;
    const calibration = { recent: async () => (asked++, [...traffic, '--deep prove the lemma']), now: () => nowMs };
    const policy = createLearnedPolicy(new Keyv<Adjustment>(), shipped, calibration);
    const uncalibrated = createLearnedPolicy(new Keyv<Adjustment>(), shipped);
    for (const share of [0.2, 0.5, 0.8]) {
      const strong = (await Promise.all(traffic.map((t) => policy.verdict('w', t, share)))).filter((v) => v.strong).length;
      expect(Math.abs(strong / traffic.length - share)).toBeLessThanOrEqual(0.1);
    }
    const shippedShare = (await Promise.all(traffic.map((t) => uncalibrated.verdict('w', t, 0.5)))).filter((v) => v.strong).length / traffic.length;
    expect(Math.abs(shippedShare - 0.5)).toBeGreaterThan(0.1);
    expect(asked).toBe(1);
    nowMs += 11 * 60_000;
    await policy.verdict('w', traffic[0]!, 0.5);
    expect(asked).toBe(2);
  });

  it('counts a consensus job and its spend under one rule, feedback on it too', async () => {
    const answer = () => ({ text: '42', usage: { input: 100, output: 10 } });
    h = await startHarness({ store: 'sqlite', vendors: { openai: answer, anthropic: answer } });
    const reply = await sendLine(h.hive, 'consensus', 'What is 6 times 7?').reply;
    await sendLine(h.hive, 'good', offerOf(reply, 'helpful')!.ref).reply;
    const report = (await sendLine(h.hive, 'hive', 'routing', { admin: true }).reply).text;
    expect(report).toMatch(/• consensus → \w+: 1 job \(100%\) · \$[\d.]+ \(100% of spend\) · 1 helpful/);
    expect(report).not.toContain('calls of jobs that moved on');
  });

  it('names one rule per kind of reason', () => {
    expect(ruleOf('learned: strong (0.62 ≥ 0.48)')).toBe('learned: strong');
    expect(ruleOf('auto: code, budget')).toBe('auto: code');
    expect(ruleOf('cheap first: escalated, gpt-6-luna unsure')).toBe('cheap first: escalated');
    expect(ruleOf('--deep')).toBe('--deep');
  });

  it('on a bot: re-run deeper on five cheap answers of one kind shifts the policy for that workspace, shown in /hive routing', async () => {
    h = await startHarness({ store: 'sqlite', vendors: { openai: personaResponder([]) } });
    const admin = { admin: true };
    expect((await sendLine(h.hive, 'hive', 'lanes default learned 30%', admin).reply).text).toContain('Workspace default: learned (30% strong)');
    const lanes: string[] = [];
    for (const code of [400, 401, 403, 404, 429]) {
      const answer = await sendLine(h.hive, 'ask', KIND(code)).reply;
      lanes.push(/ · (\w+) \(learned: /.exec(answer.footer!)![1]!);
      const deeper = await sendLine(h.hive, 'deeper', offerOf(answer, 'deeper')!.ref).reply;
      expect(deeper.footer).toMatch(/ · deep \(re-run deeper\) · /);
    }
    // The shipped model alone sends this kind to the cheap lane; the presses move it within the five.
    expect(lanes[0]).toBe('cheap');
    const cheap = lanes.filter((l) => l === 'cheap').length;
    expect(lanes.at(-1)).toBe('balanced');
    const next = await sendLine(h.hive, 'ask', KIND(502)).reply;
    expect(next.footer).toMatch(/ · balanced \(learned: strong \(/);
    expect((await sendLine(h.hive, 'ask', OTHER).reply).footer).toMatch(/ · cheap \(learned: cheap \(/);
    const report = (await sendLine(h.hive, 'hive', 'routing', admin).reply).text;
    expect(report).toContain('routed by: learned (30% strong)');
    expect(report).toMatch(new RegExp(`• learned: cheap → cheap: ${cheap + 1} jobs .* · ${cheap} re-run deeper`));
    expect(report).toMatch(/• re-run deeper → deep: 5 jobs/);
    expect(report).toContain(`${cheap} said a job needed a strong lane, 0 that its lane was enough`);
    expect(report).toMatch(/aiming at 30% strong: the shipped model sends 0% to a strong lane; adjusted by this feedback, \d+%/);
    expect((await sendLine(h.hive, 'hive', 'routing').reply).text).toMatch(/can see or reset the routing report/);
    expect((await sendLine(h.hive, 'hive', 'routing reset', admin).reply).text).toContain('forgot');
    expect((await sendLine(h.hive, 'ask', KIND(503)).reply).footer).toMatch(/ · cheap \(learned: cheap \(/);
  });
});
