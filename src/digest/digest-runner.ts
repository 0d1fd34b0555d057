import type { Reply } from '../chat/invocation.ts';
import { UserError } from '../shared/errors.ts';
import type { EvidenceStore, JobOrigin } from '../evidence/evidence-store.ts';
import { newEvidenceId } from '../shared/ids.ts';
import { recordJob } from '../jobs/job-record.ts';
import type { OnRecorded } from '../jobs/job-facts.ts';
import { costSentence } from '../jobs/job-failure.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import type { Books } from '../money/books.ts';
import { createSpendGate, scopesFor, type BudgetScope } from '../money/budget.ts';
import { renderFooter } from '../money/footer.ts';
import { sumUsage, totalCost } from '../money/usage-math.ts';
import { planRoute, type Plan } from '../routing/router.ts';
import type { LaneTable, SettingsService } from '../settings/settings.ts';
import { parseModelRef, type ModelRequest, type Vendor } from '../shared/types.ts';
import type { ExecuteInput, Execution } from '../routing/execution.ts';
import type { CapturedMessage } from './capture.ts';
import type { CapturedMessages } from './captured-messages.ts';
import type { DigestChannel } from './digest-channels.ts';
import { renderDigest, type SourceMessage } from './digest-render.ts';
import { summarise, type Summary, type SummaryEnv } from './summarise.ts';
import { digestNotes } from './digest-notes.ts';

/** What one digest covers and who asked (`digest` for the schedule). */
export interface DigestRunInput {
  channel: DigestChannel;
  /** Messages sent in `(from, to]`, ms since the epoch. */
  from: number;
  to: number;
  userId: string;
  /** The title line, e.g. "Daily digest · Tue 1 Dec". */
  title: string;
  /** Told the job's facts once its evidence record is written, made or failed (the job's log line). */
  onRecorded?: OnRecorded;
}

/** A digest made (`reply` posts it), or nothing to summarise (no call was made). */
export type DigestRun = { kind: 'empty' } | { kind: 'done'; reply: Reply; evidenceId: string; costUsd: number | undefined };

export interface DigestRunnerOptions {
  keys: KeyService;
  settings: SettingsService;
  execute: (x: ExecuteInput) => Promise<Execution>;
  books: Books;
  evidence: EvidenceStore;
  messages: CapturedMessages;
  maxOutputTokens: number;
  secrets?: SecretRegistry;
  now?: () => Date;
  /** Input tokens per map call (default 6,000). */
  chunkTokens?: number;
  /** Map calls in flight at once per digest (default 8). */
  concurrency?: number;
}

/** Makes digests: captured messages → cited points (map-reduce on the cheap lane) → a reply with cost and evidence. */
export interface DigestRunner {
  run(input: DigestRunInput): Promise<DigestRun>;
}

const DEFAULT_MAX_BULLETS = 12;

/** The monthly scope of a channel's digest spend, beside the workspace, channel and user scopes. */
export function digestScope(workspaceId: string, channelId: string, capUsd: number | undefined, at: Date): BudgetScope {
  return { name: 'digest', key: `spend|${workspaceId}|${at.toISOString().slice(0, 7)}|d|${channelId}`, capUsd, raiseWith: '/digest set budget <usd>' };
}

export function createDigestRunner(o: DigestRunnerOptions): DigestRunner {
  const now = () => (o.now ? o.now() : new Date());
  return {
    async run(input) {
      const c = input.channel;
      const captured = await o.messages.list(c.workspaceId, c.channelId, input.from, input.to);
      if (captured.length === 0) return { kind: 'empty' };
      const at = now();
      const t0 = performance.now();
      const id = newEvidenceId(at.getTime());
      const origin = { workspaceId: c.workspaceId, channelId: c.channelId, userId: input.userId, platform: c.platform, command: 'digest' };
      const { plan, env } = await prepare(o, c, origin, id, at);
      const sources = tag(captured, c.timezone);
      const summary = await summarise([...sources.values()], env, c.options.maxBullets ?? DEFAULT_MAX_BULLETS);
      const trace = {
        id,
        origin,
        plan,
        at,
        request: requestNote(captured.length, input, o.maxOutputTokens),
        details: detailsOf(summary, sources, input, captured.length),
      };
      const failure = failureOf(summary, id);
      if (failure) {
        input.onRecorded?.(await recordJob(o.evidence, trace, summary.calls, null, failure));
        throw failure;
      }
      const footer = footerOf(summary, plan, captured.length, id, performance.now() - t0);
      const reply = renderDigest(input.title, summary.points, sources, footer);
      input.onRecorded?.(await recordJob(o.evidence, trace, summary.calls, JSON.stringify(summary.points), undefined));
      return { kind: 'done', reply, evidenceId: id, costUsd: totalCost(summary.calls) };
    },
  };
}

/** Keys, lane and budget gate for one digest, as the summary calls need them. */
async function prepare(o: DigestRunnerOptions, c: DigestChannel, origin: JobOrigin, id: string, at: Date): Promise<{ plan: Plan; env: SummaryEnv }> {
  const settings = await o.settings.get(c.workspaceId);
  const [usable, lanes] = await Promise.all([o.keys.usable(c.workspaceId), o.settings.lanes(c.workspaceId)]);
  const plan = planFor(c, lanes, new Set(usable.keys()));
  const scopes = [...scopesFor(origin, settings.budgets, at), digestScope(c.workspaceId, c.channelId, c.options.monthlyBudgetUsd, at)];
  const gate = createSpendGate(o.books, scopes, { ...origin, evidenceId: id, at });
  const own = o.secrets?.forWorkspace(c.workspaceId);
  const env: SummaryEnv = {
    execute: o.execute,
    workspaceId: c.workspaceId,
    plan,
    keys: usable,
    gate,
    maxOutputTokens: o.maxOutputTokens,
    chunkTokens: o.chunkTokens ?? 6_000,
    concurrency: o.concurrency ?? 8,
    ...(own ? { scrub: (t: string) => own.scrub(t) } : {}),
  };
  return { plan, env };
}

/** The evidence record's request: what was summarised, not the messages (they stay in the capture, 48 h). */
function requestNote(n: number, input: DigestRunInput, maxTokens: number): ModelRequest {
  const window = `${new Date(input.from).toISOString()} to ${new Date(input.to).toISOString()}`;
  return { model: '', messages: [{ role: 'user', content: `${n} captured messages, ${window} (kept in the capture only, not copied here)` }], maxTokens };
}

function detailsOf(s: Summary, sources: ReadonlyMap<string, SourceMessage>, input: DigestRunInput, messages: number): Record<string, unknown> {
  return {
    kind: 'digest',
    window: { from: input.from, to: input.to },
    messages,
    mapCalls: s.mapCalls,
    reduceCalls: s.reduceCalls,
    failedChunks: s.failedChunks,
    overBudgetChunks: s.overBudgetChunks,
    dropped: s.dropped,
    cited: citedLinks(s, sources),
  };
}

function planFor(c: DigestChannel, lanes: LaneTable, usable: ReadonlySet<Vendor>): Plan {
  const model = c.options.model ? parseModelRef(c.options.model) : undefined;
  return planRoute({ ...(model ? { model } : {}), ...(c.options.lane ? { lane: c.options.lane } : {}), commandLane: 'cheap' }, lanes, usable);
}

/** Short ids in time order, times in the channel's zone, replies pointing at their thread's first message. */
function tag(captured: readonly CapturedMessage[], timezone: string): Map<string, SourceMessage> {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hour12: false });
  const byPlatformId = new Map<string, string>();
  const out = new Map<string, SourceMessage>();
  captured.forEach((m, i) => {
    const id = `m${i + 1}`;
    byPlatformId.set(m.messageId, id);
    const parent = m.threadId ? byPlatformId.get(m.threadId) : undefined;
    out.set(id, {
      id,
      author: m.authorName,
      time: time.format(m.at),
      text: m.text,
      ...(parent ? { inThread: parent } : {}),
      ...(m.permalink ? { permalink: m.permalink } : {}),
    });
  });
  return out;
}

function citedLinks(s: Summary, sources: ReadonlyMap<string, SourceMessage>): string[] {
  const ids = new Set(Object.values(s.points).flatMap((list) => list.flatMap((b) => b.ids)));
  return [...ids].map((id) => sources.get(id)?.permalink ?? id);
}

/** The digest failed when no chunk produced points: over budget from the start, or every call failed. */
function failureOf(s: Summary, id: string): UserError | undefined {
  if (s.okChunks > 0) return undefined;
  // What the failed calls were billed, as every failed job's reply says (empty when nothing was).
  const paid = costSentence(s.calls);
  if (s.overBudgetChunks > 0)
    return new UserError(
      `The digest was not made: its budget is spent (raise it with \`/digest set budget <usd>\`, or the workspace's with \`/hive budget\`).${paid} Evidence ${id}.`,
      'budget_exceeded',
    );
  return new UserError(
    `The digest could not be made: every summary call failed or answered in the wrong form. Try \`/digest now\` later.${paid} Evidence ${id}.`,
    'digest_failed',
  );
}

function footerOf(s: Summary, plan: Plan, messages: number, id: string, latencyMs: number): string {
  const usage = sumUsage(s.calls);
  return renderFooter({
    models: s.models,
    lane: plan.lane,
    laneReason: plan.reason === 'command default' ? 'digest default' : plan.reason,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: totalCost(s.calls),
    estimated: s.calls.find((c) => c.estimated)?.estimated,
    latencyMs,
    evidenceId: id,
    notes: digestNotes(s, messages),
  });
}
