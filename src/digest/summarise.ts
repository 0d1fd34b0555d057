import type { CallRecord } from '../evidence/evidence-store.ts';
import { UserError } from '../shared/errors.ts';
import { estimateTokens } from '../models/model-rules.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { Plan } from '../routing/router.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { ExecutionFailed, type ExecuteInput, type Execution } from '../routing/execution.ts';
import type { SpendGate } from '../money/spend-gate.ts';
import { mapRequest, parsePoints, reduceRequest, SECTIONS, type DigestPoints, type TaggedMessage } from './digest-prompt.ts';
import { validatePoints, type Dropped } from './digest-validate.ts';

/** How long one digest call may wait for the vendors' rate limits (a chat answer waits 2 minutes). */
export const DIGEST_RATE_DEADLINE_MS = 20 * 60_000;

/** Where a digest's calls go: the routed plan, the workspace's keys, its budget gate. */
export interface SummaryEnv {
  execute: (x: ExecuteInput) => Promise<Execution>;
  workspaceId: string;
  plan: Plan;
  keys: ReadonlyMap<Vendor, UsableKey>;
  gate: SpendGate;
  maxOutputTokens: number;
  /** Input tokens of messages per map call. */
  chunkTokens: number;
  /** Map calls in flight at once (the vendor paces hold them further). */
  concurrency: number;
  scrub?: (text: string) => string;
}

/** The digest's points and how they were made. */
export interface Summary {
  points: DigestPoints;
  dropped: Dropped;
  calls: CallRecord[];
  /** Models that answered, in order of first answer. */
  models: string[];
  mapCalls: number;
  reduceCalls: number;
  /** Chunks with no usable points (the call failed or did not return the JSON asked for). */
  failedChunks: number;
  /** Chunks that gave points. */
  okChunks: number;
  /** Chunks not summarised because the budget was spent. */
  overBudgetChunks: number;
}

/** Splits the day into chunks of about `tokens` each, in order (a message is never split). */
export function chunkMessages(messages: readonly TaggedMessage[], tokens: number): TaggedMessage[][] {
  const chunks: TaggedMessage[][] = [];
  let current: TaggedMessage[] = [];
  let used = 0;
  for (const m of messages) {
    const cost = estimateTokens(m.text) + estimateTokens(m.author) + 12;
    if (current.length > 0 && used + cost > tokens) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(m);
    used += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Map-reduce within token budgets: each chunk to cited points in parallel (spread over the lane's
 * vendors), then one merge of all the points; every point is checked against the input.
 */
export async function summarise(messages: readonly TaggedMessage[], env: SummaryEnv, maxItems: number): Promise<Summary> {
  const input = new Map(messages.map((m) => [m.id, m]));
  const s: Summary = {
    points: emptyPoints(),
    dropped: { uncited: 0, owners: 0, overCap: 0 },
    calls: [],
    models: [],
    mapCalls: 0,
    reduceCalls: 0,
    failedChunks: 0,
    okChunks: 0,
    overBudgetChunks: 0,
  };
  const chunks = chunkMessages(messages, env.chunkTokens);
  const parts = await runPool(chunks, env.concurrency, async (chunk) => {
    if (s.overBudgetChunks > 0) {
      s.overBudgetChunks++;
      return undefined;
    }
    s.mapCalls++;
    const r = await call(env, mapRequest(chunk, maxItems), s);
    if (r === 'over_budget') s.overBudgetChunks++;
    else if (!r) s.failedChunks++;
    else s.okChunks++;
    return r === 'over_budget' ? undefined : r;
  });
  const got = parts.filter((p): p is DigestPoints => p !== undefined);
  let merged: DigestPoints | undefined = got.length === 1 ? got[0] : undefined;
  if (got.length > 1) {
    s.reduceCalls++;
    const r = await call(env, reduceRequest(got, maxItems), s);
    merged = r && r !== 'over_budget' ? r : concatenate(got);
  }
  const v = validatePoints(merged ?? emptyPoints(), input, maxItems, env.scrub);
  return { ...s, points: v.points, dropped: v.dropped };
}

/** One call; its records kept whatever happens. `over_budget` when the gate refused it. */
async function call(env: SummaryEnv, req: ReturnType<typeof mapRequest>, s: Summary): Promise<DigestPoints | 'over_budget' | undefined> {
  try {
    const exec = await env.execute({
      workspaceId: env.workspaceId,
      candidates: env.plan.candidates,
      pinned: env.plan.pinned,
      request: { model: '', system: req.system, messages: req.messages, maxTokens: env.maxOutputTokens },
      keys: env.keys,
      gate: env.gate,
      // Nobody is waiting on a digest's map calls: they queue behind chat for the vendors' limits.
      rateDeadlineMs: DIGEST_RATE_DEADLINE_MS,
    });
    s.calls.push(...exec.calls);
    if (!s.models.includes(exec.ref.model)) s.models.push(exec.ref.model);
    return parsePoints(exec.result.text);
  } catch (e) {
    if (e instanceof ExecutionFailed) s.calls.push(...e.calls);
    const last = e instanceof ExecutionFailed ? e.last : e;
    if (last instanceof UserError && last.code.startsWith('budget_')) return 'over_budget';
    return undefined;
  }
}

function emptyPoints(): DigestPoints {
  return { decisions: [], actions: [], questions: [], threads: [] };
}

/** Without a merge: every chunk's points in order (validation caps the length). */
function concatenate(parts: readonly DigestPoints[]): DigestPoints {
  const out = emptyPoints();
  for (const p of parts) for (const k of SECTIONS) out[k].push(...p[k]);
  return out;
}

/** Runs `work` over `items` with at most `limit` at once; results in input order. */
async function runPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
