import { autoLane } from '../src/routing/auto-lane.ts';
import { createLearnedScorer, scoreQuantiles, thresholdForShare, type LearnedWeights } from '../src/routing/learned-lane.ts';
import shipped from '../src/routing/learned-weights.json' with { type: 'json' };
import { loadRows, pairExamples, ROUTING_PAIRS, type RoutingExample, type RoutingPair } from './routing-data.ts';
import type { BenchResult } from './types.ts';

/** A cheap call costs this much of a strong one (Hive's cheap lanes run about 1/20 of balanced). */
const CHEAP_COST = 1 / 20;
const TARGETS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
/** The acceptance: this share of the strong model's quality with at most this share of strong calls. */
const KEEP = 0.95;
const MAX_SHARE = 0.6;

/** What one policy did on one eval set. */
interface Outcome {
  policy: string;
  share: number;
  quality: number;
  cost: number;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Replays a per-prompt choice (true = strong lane): share of strong calls, mean outcome, cost against always-strong. */
function replay(policy: string, xs: readonly RoutingExample[], strong: (x: RoutingExample, i: number) => boolean): Outcome {
  const picks = xs.map(strong);
  const share = mean(picks.map(Number));
  return { policy, share, quality: mean(xs.map((x, i) => (picks[i] ? x.strong : x.weak))), cost: share + (1 - share) * CHEAP_COST };
}

/** Cheap-first: ask two cheap models, keep the answer when they agree, else ask the strong one (both cheap calls paid). */
function cascade(xs: readonly RoutingExample[]): Outcome | undefined {
  if (xs.some((x) => x.agree === undefined)) return undefined;
  const share = mean(xs.map((x) => (x.agree ? 0 : 1)));
  return { policy: 'cascade (2 cheap agree, else strong)', share, quality: mean(xs.map((x) => (x.agree ? x.weak : x.strong))), cost: 2 * CHEAP_COST + share };
}

/**
 * Learned policy at each target share: thresholds from this pair's train split; for eval-only tables,
 * the shipped quantiles and, as Hive does on a workspace's traffic, quantiles of the prompts' own scores.
 */
function learned(pair: RoutingPair, evalXs: readonly RoutingExample[], score: (t: string) => number): Outcome[] {
  const evalScores = evalXs.map((x) => score(x.prompt));
  const train = pairExamples(pair, 'train', loadRows(pair.file));
  const quantiles = train.length > 0 ? scoreQuantiles(train.map((x) => score(x.prompt))) : (shipped as LearnedWeights).quantiles;
  const source = train.length > 0 ? 'train split' : 'shipped';
  const fixed = TARGETS.map((t) => {
    const threshold = thresholdForShare(quantiles, t);
    return replay(`learned @${t * 100}% (${source})`, evalXs, (_, i) => evalScores[i]! >= threshold);
  });
  if (train.length > 0) return fixed;
  // As Hive calibrates on a workspace's recent questions: quantiles of the prompts' texts alone, never their outcomes.
  const traffic = scoreQuantiles(evalScores);
  return [
    ...fixed,
    ...TARGETS.map((t) => {
      const threshold = thresholdForShare(traffic, t);
      return replay(`learned @${t * 100}% (calibrated on traffic)`, evalXs, (_, i) => evalScores[i]! >= threshold);
    }),
  ];
}

/** Every policy on one pair's eval split. */
function policies(pair: RoutingPair, score: (t: string) => number): { xs: RoutingExample[]; outcomes: Outcome[] } {
  const xs = pairExamples(pair, 'eval');
  const outcomes = [
    replay('always-cheap', xs, () => false),
    replay('always-strong', xs, () => true),
    replay('rules (autoLane: cheap lane = weak)', xs, (x) => autoLane(x.prompt).lane !== 'cheap'),
    ...learned(pair, xs, score),
  ];
  const c = cascade(xs);
  return { xs, outcomes: c ? [...outcomes, c] : outcomes };
}

const f3 = (x: number) => x.toFixed(3);

/** The verdict lines for one pair: the acceptance, and any policy below random at its share. */
function verdicts(pair: RoutingPair, xs: readonly RoutingExample[], outcomes: readonly Outcome[], qw: number, qs: number): string[] {
  const n = xs.length;
  const gain2 = mean(xs.map((x) => (x.strong - x.weak) ** 2));
  /** Two standard errors of (policy − random) if the picks carried no information: smaller gaps are noise. */
  const noise = (s: number) => 2 * Math.sqrt((s * (1 - s) * gain2) / n);
  const routed = outcomes.filter((o) => !o.policy.startsWith('always'));
  const random = (s: number) => qw + s * (qs - qw);
  const meeting = routed.filter((o) => o.share <= MAX_SHARE && o.quality / qs >= KEEP).sort((a, b) => a.share - b.share);
  const trivial = qw / qs >= KEEP ? ` (always-cheap alone keeps ${f3(qw / qs)}: this pair cannot tell policies apart)` : '';
  const best = [...routed].filter((o) => o.share <= MAX_SHARE).sort((a, b) => b.quality - a.quality)[0];
  const accept = meeting[0]
    ? `met by ${meeting[0].policy}: share ${f3(meeting[0].share)}, q/q_strong ${f3(meeting[0].quality / qs)}${trivial}`
    : `NOT met: best at share ≤ ${MAX_SHARE} is ${best?.policy} with q/q_strong ${f3((best?.quality ?? 0) / qs)} at share ${f3(best?.share ?? 0)}`;
  const below = routed.filter((o) => o.quality < random(o.share) - 1e-9);
  const clear = below.filter((o) => random(o.share) - o.quality > noise(o.share));
  const list = (os: readonly Outcome[]) => (os.length ? os.map((o) => `${o.policy} (${f3(o.quality - random(o.share))})`).join(', ') : 'none');
  return [
    `${pair.name}${pair.evalOnly ? ' [independent check, never trained or tuned on]' : ''} (${n} eval prompts): ${accept}`,
    `${pair.name}: below random at the same share by more than 2 s.e.: ${list(clear)}; within noise: ${list(below.filter((o) => !clear.includes(o)))}`,
  ];
}

/** Replays every routing policy over held-out per-prompt outcomes of a weak and a strong model. */
export async function benchRouting(): Promise<BenchResult> {
  const score = createLearnedScorer(shipped as LearnedWeights);
  const rows: BenchResult['rows'] = [];
  const lines: string[] = [];
  for (const pair of ROUTING_PAIRS) {
    const { xs, outcomes } = policies(pair, score);
    const qw = mean(xs.map((x) => x.weak));
    const qs = mean(xs.map((x) => x.strong));
    for (const o of outcomes) {
      const random = qw + o.share * (qs - qw);
      rows.push({
        data: pair.name,
        policy: o.policy,
        'strong share': f3(o.share),
        quality: f3(o.quality),
        'gap kept': qs > qw ? f3((o.quality - qw) / (qs - qw)) : 'n/a',
        'q/q_strong': f3(o.quality / qs),
        'cost vs strong': f3(o.cost),
        'random q/q_strong': f3(random / qs),
        'vs random': `${o.quality - random >= 0 ? '+' : ''}${f3(o.quality - random)}`,
      });
    }
    lines.push(...verdicts(pair, xs, outcomes, qw, qs));
  }
  lines.push(`cost: a cheap call = ${CHEAP_COST} of a strong call; random = expected value of routing the same share at random`);
  return { name: 'routing (offline replay of lane policies)', rows, verdicts: lines };
}
