/**
 * The learned lane choice: a logistic model over features of the text alone (hashed word and
 * character n-grams plus a few counts), scoring how likely a request needs the strong lane.
 * Nothing is downloaded: the weights are a JSON file in the repository, written by
 * scripts/train-router.ts from labelled public data (bench/routing-data/).
 */

/** The weights file: hashed buckets first, then the named dense features, then score quantiles for thresholds. */
export interface LearnedWeights {
  version: 1;
  /** Number of hashed buckets; fixed when trained, so scoring hashes into the same space. */
  dim: number;
  /** Names of the dense features, in order after the buckets. */
  dense: readonly string[];
  bias: number;
  /** dim + dense.length weights. */
  weights: readonly number[];
  /** 101 ascending scores: quantiles[k] is the k-th percentile of scores on the training prompts. */
  quantiles: readonly number[];
  /** Where the weights came from, for the record (data sets, rows, label, settings). */
  trainedOn?: Record<string, unknown>;
}

/** A sparse feature vector: parallel indices and values. */
export interface Features {
  index: number[];
  value: number[];
}

/** FNV-1a, 32 bits: a stable string hash so features (and data splits) never depend on the platform. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const MAX_CHARS = 2000;
const MAX_TOKENS = 400;
const CODE = /```|\b(?:function|def|class|import|const|return|SELECT|#include)\b|=>|[{};]\s*$/m;
const MATH = /\$|\\[a-z]+|[=^∫∑√π≤≥]|\d\s*[-+*/]\s*\d/;
const ASKS = /^\s*(?:what|why|how|which|who|when|where|is|are|can|does|do)\b/i;
const SOLVE = /\b(?:prove|derive|calculate|compute|solve|find|determine|evaluate|estimate)\b/i;
const WRITE = /\b(?:write|draft|rewrite|summari[sz]e|translate|explain|describe|list)\b/i;
const OPTIONS = /(?:^|\n)\s*\(?[A-J][).]\s/;

/** The dense features, by name: each maps the text to a number of about unit size. */
const DENSE: Record<string, (t: string) => number> = {
  logLength: (t) => Math.log1p(t.length) / 8,
  digitShare: (t) => (t.match(/\d/g)?.length ?? 0) / Math.max(1, t.length),
  numbers: (t) => Math.log1p(t.match(/\d+(?:\.\d+)?/g)?.length ?? 0) / 4,
  lines: (t) => Math.log1p(t.split('\n').length) / 4,
  code: (t) => (CODE.test(t) ? 1 : 0),
  math: (t) => (MATH.test(t) ? 1 : 0),
  asks: (t) => (ASKS.test(t) ? 1 : 0),
  solve: (t) => (SOLVE.test(t) ? 1 : 0),
  write: (t) => (WRITE.test(t) ? 1 : 0),
  options: (t) => (OPTIONS.test(t) ? 1 : 0),
  questionMarks: (t) => Math.min(3, t.match(/\?/g)?.length ?? 0) / 3,
};

/** The dense feature names, in the order the weights file lists them. */
export const DENSE_FEATURES: readonly string[] = Object.keys(DENSE);

/** Words, numbers folded to one token, and single symbols, lower-cased. */
function tokens(text: string): string[] {
  const raw = text.toLowerCase().match(/[a-z]+|\d+(?:\.\d+)?|[^\sa-z\d]/g) ?? [];
  return raw.slice(0, MAX_TOKENS).map((t) => (/^\d/.test(t) ? '0' : t));
}

/** Adds each distinct key to the buckets with a hashed sign, scaled so the group has unit length. */
function addHashed(keys: Iterable<string>, dim: number, into: Map<number, number>): void {
  const distinct = new Set(keys);
  const scale = 1 / Math.sqrt(Math.max(1, distinct.size));
  for (const k of distinct) {
    const h = fnv1a(k);
    const i = h % dim;
    into.set(i, (into.get(i) ?? 0) + (h & 0x80000000 ? -scale : scale));
  }
}

/** Text to features: word 1- and 2-grams, character 3-grams, then the dense counts after the buckets. */
export function textFeatures(text: string, dim: number): Features {
  const t = text.slice(0, MAX_CHARS);
  const words = tokens(t);
  const grams = words.map((w) => `w:${w}`).concat(words.slice(1).map((w, i) => `b:${words[i]}_${w}`));
  const flat = t.toLowerCase().replace(/\s+/g, ' ');
  const chars = Array.from({ length: Math.max(0, flat.length - 2) }, (_, i) => `c:${flat.slice(i, i + 3)}`);
  const buckets = new Map<number, number>();
  addHashed(grams, dim, buckets);
  addHashed(chars, dim, buckets);
  const index = [...buckets.keys()];
  const value = index.map((i) => buckets.get(i)!);
  DENSE_FEATURES.forEach((name, k) => {
    index.push(dim + k);
    value.push(DENSE[name]!(t));
  });
  return { index, value };
}

/** The logistic function, kept in range for large inputs. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** P(strong needed) for features under a set of weights. */
export function scoreFeatures(f: Features, bias: number, weights: ArrayLike<number>): number {
  let z = bias;
  for (let j = 0; j < f.index.length; j++) z += weights[f.index[j]!]! * f.value[j]!;
  return sigmoid(z);
}

/** A scorer for the shipped (or any) weights: text in, P(strong needed) out. Checks the file's shape once. */
export function createLearnedScorer(w: LearnedWeights): (text: string) => number {
  if (w.weights.length !== w.dim + w.dense.length || w.dense.join() !== DENSE_FEATURES.join()) {
    throw new Error(`learned weights do not match the features (${w.weights.length} weights, ${w.dense.length} dense)`);
  }
  const weights = Float64Array.from(w.weights);
  return (text) => scoreFeatures(textFeatures(text, w.dim), w.bias, weights);
}

/** Score quantiles (101 values, ascending) of a set of scores; stored with the weights. */
export function scoreQuantiles(scores: readonly number[]): number[] {
  const s = [...scores].sort((a, b) => a - b);
  if (s.length === 0) return Array.from({ length: 101 }, () => 0.5);
  return Array.from({ length: 101 }, (_, k) => s[Math.min(s.length - 1, Math.round((k / 100) * (s.length - 1)))]!);
}

/**
 * The threshold that sends about `share` (0..1) of requests to the strong lane, read from the
 * stored quantiles: an admin sets a target share rather than a raw score. Strong when score ≥ it.
 */
export function thresholdForShare(quantiles: readonly number[], share: number): number {
  if (share <= 0) return Number.POSITIVE_INFINITY;
  if (share >= 1) return Number.NEGATIVE_INFINITY;
  const pos = (1 - share) * (quantiles.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(quantiles.length - 1, lo + 1);
  return quantiles[lo]! + (pos - lo) * (quantiles[hi]! - quantiles[lo]!);
}
