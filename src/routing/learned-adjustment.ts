import { sigmoid, type Features } from './learned-lane.ts';

/**
 * What one workspace's feedback taught the learned policy: a bias and sparse weights added to the
 * shipped model's, so answers re-run deeper (or marked not helpful) on a cheap lane pull jobs like
 * them to a strong lane, and cheap answers marked helpful pull them back. It holds hashed feature
 * weights and counts only, never a question's text.
 */
export interface Adjustment {
  bias: number;
  /** Feature index → weight added to the shipped model's. */
  weights: Record<string, number>;
  /** Feedback events that said a job needed a strong lane, and that its lane was enough. */
  neededStrong: number;
  enough: number;
  /** When the first and the latest event counted (epoch ms). */
  since?: number;
  updatedAt?: number;
}

/** An adjustment that changes nothing: a new workspace's, or one an admin reset. */
export const NO_ADJUSTMENT: Adjustment = { bias: 0, weights: {}, neededStrong: 0, enough: 0 };

/**
 * How far one event moves the weights: five alike re-runs move that kind of job past the threshold.
 * The bias moves little: the shipped scores sit close together, so a large bias step would move
 * every job, not the kind the feedback was about.
 */
const STEP = 0.04;
const BIAS_STEP = 0.01;
/** No single weight runs away with the model, and the map stays small. */
const MAX_WEIGHT = 4;
const MAX_FEATURES = 4000;

/** The logit the adjustment adds for these features. */
export function adjustmentLogit(a: Adjustment, f: Features): number {
  let z = a.bias;
  for (let j = 0; j < f.index.length; j++) z += (a.weights[f.index[j]!] ?? 0) * f.value[j]!;
  return z;
}

/** P(strong needed) with the workspace's adjustment on top of the shipped model's score `p`. */
export function adjustedScore(p: number, a: Adjustment, f: Features): number {
  const clamped = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return sigmoid(Math.log(clamped / (1 - clamped)) + adjustmentLogit(a, f));
}

/**
 * One step of logistic regression on one event: `neededStrong` is the label, `p` what the shipped
 * model plus this adjustment scored the job's text. Only the hashed text features (below `dim`)
 * learn: the dense counts (length, digits) are shared by every job, so moving them would move all.
 */
export function learnFrom(a: Adjustment, f: Features, dim: number, p: number, neededStrong: boolean, at: number): Adjustment {
  const err = (neededStrong ? 1 : 0) - p;
  const weights = { ...a.weights };
  for (let j = 0; j < f.index.length; j++) {
    if (f.index[j]! >= dim) continue;
    const k = String(f.index[j]!);
    const w = (weights[k] ?? 0) + STEP * err * f.value[j]!;
    weights[k] = Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, w));
  }
  return {
    bias: a.bias + BIAS_STEP * err,
    weights: pruned(weights),
    neededStrong: a.neededStrong + (neededStrong ? 1 : 0),
    enough: a.enough + (neededStrong ? 0 : 1),
    since: a.since ?? at,
    updatedAt: at,
  };
}

/** Keeps the largest weights when there are too many. */
function pruned(w: Record<string, number>): Record<string, number> {
  const keys = Object.keys(w);
  if (keys.length <= MAX_FEATURES) return w;
  const kept = keys.sort((x, y) => Math.abs(w[y]!) - Math.abs(w[x]!)).slice(0, MAX_FEATURES);
  return Object.fromEntries(kept.map((k) => [k, w[k]!]));
}
