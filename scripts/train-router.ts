/**
 * Trains the learned lane choice (src/routing/learned-lane.ts) on the TRAIN splits of
 * bench/routing-data/ and writes src/routing/learned-weights.json. Eval splits and RouteLLM's
 * tables are never read here. Deterministic: same data, same weights.
 *
 *   npx tsx scripts/train-router.ts && npx prettier --write src/routing/learned-weights.json
 *
 * Label: the gain of the strong model over the weak one on a prompt, in [-1, 1], mapped to a soft
 * target (gain + 1) / 2, so the score ranks prompts by the expected gain from the strong lane
 * (strong right and weak wrong = 1, the reverse = 0, a tie = 0.5). Each pair weighs the same in
 * total, so the large MMLU-Pro set does not drown TheoremQA.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pairExamples, ROUTING_PAIRS, type RoutingExample } from '../bench/routing-data.ts';
import { DENSE_FEATURES, fnv1a, scoreFeatures, scoreQuantiles, textFeatures, type Features, type LearnedWeights } from '../src/routing/learned-lane.ts';
import { seededRandom } from '../test/helpers/seeded-random.ts';

/** One training example: features, a target in [0, 1] and a weight. */
export interface TrainExample {
  features: Features;
  target: number;
  weight: number;
}

/** Settings of the fit: plain mini-batch gradient descent on the weighted log loss with L2. */
export interface TrainOptions {
  size: number;
  epochs: number;
  learningRate: number;
  l2: number;
  batch: number;
  seed: number;
}

export const DIM = 1 << 14;
const DEFAULTS: TrainOptions = { size: DIM + DENSE_FEATURES.length, epochs: 12, learningRate: 0.5, l2: 1e-4, batch: 32, seed: 7 };

/** Fits a logistic model; the seeded shuffle makes the result reproducible. */
export function trainLogistic(examples: readonly TrainExample[], options: Partial<TrainOptions> = {}): { bias: number; weights: Float64Array } {
  const o = { ...DEFAULTS, ...options };
  const weights = new Float64Array(o.size);
  let bias = 0;
  const random = seededRandom(o.seed);
  const order = examples.map((_, i) => i);
  const meanWeight = examples.reduce((s, e) => s + e.weight, 0) / Math.max(1, examples.length);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = o.learningRate / (1 + epoch * 0.2);
    for (let start = 0; start < order.length; start += o.batch) {
      const grad = new Map<number, number>();
      let gBias = 0;
      const batch = order.slice(start, start + o.batch);
      for (const k of batch) {
        const e = examples[k]!;
        const err = ((scoreFeatures(e.features, bias, weights) - e.target) * e.weight) / meanWeight;
        gBias += err;
        e.features.index.forEach((idx, j) => grad.set(idx, (grad.get(idx) ?? 0) + err * e.features.value[j]!));
      }
      const step = rate / batch.length;
      const decay = 1 - rate * o.l2;
      for (let i = 0; i < weights.length; i++) weights[i]! *= decay;
      for (const [idx, g] of grad) weights[idx]! -= step * g;
      bias -= step * gBias;
    }
  }
  return { bias, weights };
}

/** Soft target from the gain of strong over weak (both in [0, 1]). */
export function gainTarget(weak: number, strong: number): number {
  return (strong - weak + 1) / 2;
}

/** Training examples from labelled prompts, each group weighing the same in total. */
export function toExamples(groups: readonly (readonly RoutingExample[])[], dim = DIM): TrainExample[] {
  const total = groups.reduce((s, g) => s + g.length, 0);
  return groups.flatMap((g) =>
    g.map((x) => ({ features: textFeatures(x.prompt, dim), target: gainTarget(x.weak, x.strong), weight: total / (groups.length * g.length) })),
  );
}

/**
 * Share of the gain over random captured when the top half by score goes strong, per pair, averaged:
 * a check on the held-out part of train (never the eval split), per pair so that telling the data
 * sets apart earns nothing.
 */
function capturedAtHalf(fit: { bias: number; weights: Float64Array }, held: readonly (readonly RoutingExample[])[]): number {
  const perPair = held.map((g) => {
    const scored = g.map((x) => ({ s: scoreFeatures(textFeatures(x.prompt, DIM), fit.bias, fit.weights), gain: x.strong - x.weak }));
    const top = [...scored].sort((a, b) => b.s - a.s).slice(0, Math.floor(g.length / 2));
    const total = scored.reduce((s, x) => s + Math.abs(x.gain), 0) || 1;
    return (top.reduce((s, x) => s + x.gain, 0) - scored.reduce((s, x) => s + x.gain, 0) / 2) / total;
  });
  return perPair.reduce((s, x) => s + x, 0) / Math.max(1, perPair.length);
}

function main(): void {
  const trainable = ROUTING_PAIRS.filter((p) => !p.evalOnly);
  const groups = trainable.map((p) => pairExamples(p, 'train'));
  const isHeld = (x: RoutingExample) => fnv1a(`held:${x.key}`) % 5 === 0;
  let best = { l2: DEFAULTS.l2, captured: Number.NEGATIVE_INFINITY };
  for (const l2 of [1e-4, 1e-3, 1e-2]) {
    const fit = trainLogistic(toExamples(groups.map((g) => g.filter((x) => !isHeld(x)))), { l2 });
    const captured = capturedAtHalf(
      fit,
      groups.map((g) => g.filter(isHeld)),
    );
    console.log(`l2 ${l2}: share of gain over random at half share, held-out part of train = ${captured.toFixed(3)}`);
    if (captured > best.captured) best = { l2, captured };
  }
  const fit = trainLogistic(toExamples(groups), { l2: best.l2 });
  const prompts = new Map(groups.flat().map((x) => [x.key, x.prompt]));
  const scores = [...prompts.values()].map((p) => scoreFeatures(textFeatures(p, DIM), fit.bias, fit.weights));
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const out: LearnedWeights = {
    version: 1,
    dim: DIM,
    dense: DENSE_FEATURES,
    bias: round(fit.bias),
    weights: Array.from(fit.weights, round),
    quantiles: scoreQuantiles(scores).map((q) => Math.round(q * 1e6) / 1e6),
    trainedOn: {
      pairs: trainable.map((p, i) => `${p.name} (${groups[i]!.length} train rows)`),
      label: 'soft target (gain + 1) / 2, gain = strong − weak outcome; pairs weighted equally',
      l2: best.l2,
      epochs: DEFAULTS.epochs,
      seed: DEFAULTS.seed,
    },
  };
  const file = path.join(import.meta.dirname, '../src/routing/learned-weights.json');
  fs.writeFileSync(file, JSON.stringify(out) + '\n');
  console.log(`wrote ${file}: ${(fs.statSync(file).size / 1024).toFixed(0)} KB, l2 ${best.l2}, ${prompts.size} distinct train prompts`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
