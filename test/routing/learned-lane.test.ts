import { describe, expect, it } from 'vitest';
import { gainTarget, toExamples, trainLogistic } from '../../scripts/train-router.ts';
import { createLearnedScorer, DENSE_FEATURES, scoreFeatures, textFeatures, thresholdForShare, type LearnedWeights } from '../../src/routing/learned-lane.ts';
import shipped from '../../src/routing/learned-weights.json' with { type: 'json' };

const weights = shipped as LearnedWeights;

describe('learned lane choice', () => {
  it('GIVEN the same text twice THEN the features are identical, and the dense ones follow the buckets', () => {
    const text = 'Prove that the sum of two even numbers is even.\n```ts\nconst x = 2;\n```';
    const a = textFeatures(text, 1024);
    expect(textFeatures(text, 1024)).toEqual(a);
    expect(a.index.slice(-DENSE_FEATURES.length)).toEqual(DENSE_FEATURES.map((_, k) => 1024 + k));
    expect(a.index.slice(0, -DENSE_FEATURES.length).every((i) => i >= 0 && i < 1024)).toBe(true);
  });

  it('GIVEN the shipped weights THEN they load, score any text in (0, 1), and are small', () => {
    expect(weights.weights).toHaveLength(weights.dim + weights.dense.length);
    expect(weights.quantiles).toHaveLength(101);
    expect(JSON.stringify(weights).length).toBeLessThan(300_000);
    const score = createLearnedScorer(weights);
    for (const t of ['', 'hi', 'Compute the eigenvalues of [[2,1],[1,2]].', 'x'.repeat(10_000)]) {
      const s = score(t);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
    }
  });

  it('GIVEN weights that do not match the features THEN the scorer refuses them', () => {
    expect(() => createLearnedScorer({ ...weights, weights: weights.weights.slice(1) })).toThrow(/do not match/);
  });

  it('GIVEN a higher target share of strong calls THEN the threshold never rises', () => {
    const shares = Array.from({ length: 21 }, (_, i) => i / 20);
    const thresholds = shares.map((s) => thresholdForShare(weights.quantiles, s));
    for (let i = 1; i < thresholds.length; i++) expect(thresholds[i]).toBeLessThanOrEqual(thresholds[i - 1]!);
    expect(thresholds[0]).toBe(Number.POSITIVE_INFINITY);
    expect(thresholds[20]).toBe(Number.NEGATIVE_INFINITY);
  });

  it('GIVEN quantiles of uniform scores THEN a target share sends about that share strong', () => {
    const quantiles = Array.from({ length: 101 }, (_, k) => k / 100);
    const scores = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const share = scores.filter((s) => s >= thresholdForShare(quantiles, 0.3)).length / scores.length;
    expect(share).toBeCloseTo(0.3, 2);
  });

  it('GIVEN a tiny synthetic set where proofs need the strong model THEN training learns to score them higher', () => {
    const hard = ['prove the theorem', 'prove this lemma by induction', 'prove that the series converges', 'prove the bound holds'];
    const easy = ['say hello', 'what time is it', 'thanks a lot', 'good morning team'];
    const group = [
      ...hard.map((prompt, i) => ({ key: `h${i}`, prompt, weak: 0, strong: 1 })),
      ...easy.map((prompt, i) => ({ key: `e${i}`, prompt, weak: 1, strong: 1 })),
    ];
    const dim = 256;
    const fit = trainLogistic(toExamples([group], dim), { size: dim + DENSE_FEATURES.length, epochs: 60, learningRate: 1, batch: 4 });
    const score = (t: string) => scoreFeatures(textFeatures(t, dim), fit.bias, fit.weights);
    expect(score('prove the claim')).toBeGreaterThan(score('hello team') + 0.1);
    expect(gainTarget(0, 1)).toBe(1);
    expect(gainTarget(1, 0)).toBe(0);
    expect(gainTarget(1, 1)).toBe(0.5);
  });
});
