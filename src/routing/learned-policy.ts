import type Keyv from 'keyv';
import { createKeyedMutex } from '../store/mutex.ts';
import { adjustedScore, learnFrom, NO_ADJUSTMENT, type Adjustment } from './learned-adjustment.ts';
import { createLearnedScorer, scoreQuantiles, textFeatures, thresholdForShare, type Features, type LearnedWeights } from './learned-lane.ts';
import type { LearnedVerdict } from './router.ts';

/** The learned policy's score of one text for one workspace, and the threshold it was held to. */
export interface LearnedScore extends LearnedVerdict {
  p: number;
  threshold: number;
}

/**
 * The learned policy: the shipped classifier plus each workspace's adjustment from its own feedback.
 * The weights load on first use, so a workspace that never chooses `learned` never pays for them.
 */
export interface LearnedPolicy {
  verdict(workspaceId: string, text: string, strongShare: number): Promise<LearnedScore>;
  /** Counts one feedback event: `neededStrong` when a cheap answer was re-run deeper or marked not helpful. */
  feedback(workspaceId: string, text: string, neededStrong: boolean, at: number): Promise<void>;
  adjustment(workspaceId: string): Promise<Adjustment>;
  reset(workspaceId: string): Promise<void>;
  /** The share of these texts sent to a strong lane at a target share: by the shipped model alone, and with the workspace's adjustment. */
  shares(workspaceId: string, texts: readonly string[], strongShare: number): Promise<{ shipped: number; adjusted: number }>;
}

/** Where the policy calibrates its threshold: a workspace's recent questions, and the clock that ages the calibration. */
export interface Calibration {
  recent(workspaceId: string): Promise<string[]>;
  now(): number;
}

/** Fewer recent questions than this, and the threshold comes from the quantiles shipped with the weights. */
const MIN_CALIBRATION_TEXTS = 30;
/** How long a workspace's calibration is used before its recent questions are scored again. */
const CALIBRATION_TTL_MS = 10 * 60_000;
/** A question typed with a lane or model flag was not routed by a policy; its text says nothing of the traffic a policy sees. */
const FLAGGED = /(?:^|\s)--(?:cheap|balanced|deep|model)\b/;

/**
 * Creates the policy over a keyed store of adjustments (the `routing` namespace) and a loader of
 * the shipped weights. With a calibration, the threshold for a target share comes from the shipped
 * model's scores of the workspace's own recent questions: scores shift between kinds of traffic,
 * so quantiles from the training data would send a team far more or fewer jobs strong than it asked.
 */
export function createLearnedPolicy(store: Keyv<Adjustment>, loadWeights: () => Promise<LearnedWeights>, calibration?: Calibration): LearnedPolicy {
  const mutex = createKeyedMutex();
  const calibrated = new Map<string, { at: number; quantiles: Promise<readonly number[]> }>();
  let model: Promise<{ w: LearnedWeights; score: (t: string) => number }> | undefined;
  const shipped = () => (model ??= loadWeights().then((w) => ({ w, score: createLearnedScorer(w) })));
  const adjustment = async (ws: string) => (await store.get(ws)) ?? NO_ADJUSTMENT;
  const scored = async (ws: string, text: string) => {
    const { w, score } = await shipped();
    const f: Features = textFeatures(text, w.dim);
    const base = score(text);
    return { w, f, base, p: adjustedScore(base, await adjustment(ws), f) };
  };
  const quantilesFor = async (ws: string): Promise<readonly number[]> => {
    const { w, score } = await shipped();
    if (!calibration) return w.quantiles;
    const hit = calibrated.get(ws);
    const now = calibration.now();
    if (hit && now - hit.at < CALIBRATION_TTL_MS && now >= hit.at) return hit.quantiles;
    // Kept as a promise, so jobs arriving together score the recent questions once.
    const quantiles = calibration
      .recent(ws)
      .then((all) => all.filter((t) => !FLAGGED.test(t)))
      .then((texts) => (texts.length >= MIN_CALIBRATION_TEXTS ? scoreQuantiles(texts.map(score)) : w.quantiles))
      .catch(() => w.quantiles);
    calibrated.set(ws, { at: now, quantiles });
    return quantiles;
  };
  return {
    async verdict(ws, text, share) {
      const { p } = await scored(ws, text);
      const threshold = thresholdForShare(await quantilesFor(ws), share);
      const strong = p >= threshold;
      return { strong, p, threshold, reason: `learned: ${strong ? 'strong' : 'cheap'} (${p.toFixed(2)} ${strong ? '≥' : '<'} ${threshold.toFixed(2)})` };
    },
    feedback: (ws, text, neededStrong, at) =>
      mutex.run(ws, async () => {
        const { w, f, p } = await scored(ws, text);
        await store.set(ws, learnFrom(await adjustment(ws), f, w.dim, p, neededStrong, at));
      }),
    adjustment,
    reset: (ws) => mutex.run(ws, async () => void (await store.delete(ws))),
    async shares(ws, texts, share) {
      const threshold = thresholdForShare(await quantilesFor(ws), share);
      const all = await Promise.all(texts.map((t) => scored(ws, t)));
      const frac = (pick: (s: (typeof all)[number]) => number) => (all.length ? all.filter((s) => pick(s) >= threshold).length / all.length : 0);
      return { shipped: frac((s) => s.base), adjusted: frac((s) => s.p) };
    },
  };
}
