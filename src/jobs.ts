import { HiveError, KEY_FATAL_KINDS, UserError, VendorError } from './errors.ts';
import type { CallRecord, EvidenceStore } from './evidence.ts';
import { renderFooter } from './footer.ts';
import { newEvidenceId } from './ids.ts';
import type { KeyService, UsableKey } from './keys.ts';
import type { Ledger } from './ledger.ts';
import type { Logger } from './log.ts';
import { callModel } from './model-call.ts';
import { PRICE_TABLE_VERSION } from './prices.ts';
import { planRoute, type Plan, type RouteRequest } from './router.ts';
import type { ChatMessage, LaneName, ModelProvider, ModelRef, ModelRequest, Vendor } from './types.ts';
import { VENDOR_INFO } from './vendors.ts';
import { mask } from './secrets.ts';
import { sumUsage, totalCost } from './usage-math.ts';
import { trimHistory } from './context-window.ts';

/** Who asked, where: copied into evidence and the ledger. */
export interface JobOrigin {
  workspaceId: string;
  channelId: string;
  userId: string;
  platform: string;
  threadId?: string;
  command: string;
}

export interface AskInput {
  origin: JobOrigin;
  question: string;
  history?: ChatMessage[];
  route: RouteRequest;
  onText?: (delta: string) => void;
}

/** A finished answer with its footer and the audit trail behind it. */
export interface Answer {
  text: string;
  footer: string;
  evidenceId: string;
  plan: Plan;
  calls: CallRecord[];
  costUsd: number | undefined;
}

/** The one orchestrator commands call: keys → route → vendor call → ledger → evidence → footer. */
export interface JobRunner {
  ask(input: AskInput): Promise<Answer>;
}

export interface JobRunnerOptions {
  keys: KeyService;
  providers: Record<Vendor, ModelProvider>;
  evidence: EvidenceStore;
  ledger: Ledger;
  lanes: (workspaceId: string) => Promise<Readonly<Record<LaneName, readonly ModelRef[]>>>;
  log: Logger;
  maxOutputTokens: number;
  timeoutMs: number;
  /** Token budget for thread context sent with a question. */
  historyBudgetTokens?: number;
  now?: () => Date;
}

const DEFAULT_HISTORY_BUDGET = 8000;

export const SYSTEM_PROMPT =
  'You are Hive, an assistant answering in a team chat. Answer directly and concisely in Markdown.';

export function createJobRunner(o: JobRunnerOptions): JobRunner {
  const now = () => (o.now ? o.now() : new Date());
  return {
    async ask(input) {
      const { origin } = input;
      const usable = await o.keys.usable(origin.workspaceId);
      const plan = planRoute(input.route, await o.lanes(origin.workspaceId), new Set(usable.keys()));
      const { messages: history, dropped } = trimHistory(input.history ?? [], o.historyBudgetTokens ?? DEFAULT_HISTORY_BUDGET);
      const notes = dropped > 0 ? [`context trimmed (${dropped} earlier message${dropped === 1 ? '' : 's'})`] : [];
      const request: ModelRequest = {
        model: '',
        system: SYSTEM_PROMPT,
        messages: [...history, { role: 'user', content: input.question }],
        maxTokens: o.maxOutputTokens,
      };
      const id = newEvidenceId(now().getTime());
      const started = performance.now();
      const ref = plan.candidates[0]!;
      const key = usable.get(ref.vendor)!;
      const outcome = await callModel(o.providers[ref.vendor], ref, request, key.key, {
        timeoutMs: o.timeoutMs,
        stream: true,
        ...(input.onText ? { onText: input.onText } : {}),
      });
      const calls = [outcome.record];
      await recordCalls(o.ledger, origin, calls, now());
      const base = { id, origin, plan, calls, request };
      if (!outcome.ok) {
        await saveEvidence(o.evidence, base, null, outcome.error, now());
        throw await failure(o, origin, key, outcome.error, id);
      }
      const text = outcome.result.text;
      await saveEvidence(o.evidence, base, text, undefined, now());
      const usage = sumUsage(calls);
      const costUsd = totalCost(calls);
      const footer = renderFooter({
        models: [outcome.result.model],
        lane: plan.lane,
        laneReason: plan.reason,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costUsd,
        latencyMs: performance.now() - started,
        evidenceId: id,
        notes,
      });
      return { text, footer, evidenceId: id, plan, calls, costUsd };
    },
  };
}

async function recordCalls(ledger: Ledger, origin: JobOrigin, calls: CallRecord[], at: Date): Promise<void> {
  for (const c of calls) {
    if (!c.usage) continue;
    await ledger.record({ at, workspaceId: origin.workspaceId, channelId: origin.channelId, userId: origin.userId, vendor: c.vendor, model: c.model, usage: c.usage, costUsd: c.costUsd });
  }
}

interface EvidenceBase {
  id: string;
  origin: JobOrigin;
  plan: Plan;
  calls: CallRecord[];
  request: ModelRequest;
}

async function saveEvidence(store: EvidenceStore, b: EvidenceBase, answer: string | null, error: HiveError | undefined, at: Date) {
  const cost = totalCost(b.calls);
  await store.save(
    {
      id: b.id,
      createdAt: at.toISOString(),
      ...b.origin,
      lane: b.plan.lane,
      laneReason: b.plan.reason,
      calls: b.calls,
      status: error ? 'error' : 'ok',
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
      totalCostUsd: cost ?? null,
      priceTableVersion: PRICE_TABLE_VERSION,
    },
    { ...(b.request.system ? { system: b.request.system } : {}), messages: b.request.messages, answer },
  );
}

/** Turns a failed call into what the user should read; marks a dead key unhealthy first. */
async function failure(o: JobRunnerOptions, origin: JobOrigin, key: UsableKey, err: HiveError, id: string): Promise<Error> {
  if (!(err instanceof VendorError)) return err;
  const label = VENDOR_INFO[err.vendor].label;
  if (KEY_FATAL_KINDS.includes(err.kind)) {
    await o.keys.reportFailure(origin.workspaceId, err.vendor, err);
    const where = err.kind === 'auth' ? VENDOR_INFO[err.vendor].keysUrl : VENDOR_INFO[err.vendor].billingUrl;
    return new UserError(
      `The ${label} key ${mask(key.key)} failed (${err.kind.replace('_', ' ')}: ${err.message}). It is now marked unhealthy. ` +
        `An admin can fix it at ${where} and then replace it with \`/hive keys\` or run \`/hive keys test ${err.vendor}\`. Evidence ${id}.`,
      'key_failed',
    );
  }
  o.log.warn({ err, evidenceId: id }, 'vendor call failed');
  return new UserError(`${label} could not answer (${err.kind.replace('_', ' ')}). Try again shortly. Evidence ${id}.`, 'vendor_failed');
}
