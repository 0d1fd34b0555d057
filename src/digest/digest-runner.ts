import type { Reply } from '../chat/invocation.ts';
import { UserError } from '../shared/errors.ts';
import type { EvidenceStore, JobOrigin } from '../evidence/evidence-store.ts';
import type { OnRecorded } from '../jobs/job-facts.ts';
import { costSentence } from '../jobs/job-failure.ts';
import { createJobPipeline, type EvidenceLink, type JobUnanswered, type JobWork } from '../jobs/job-pipeline.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import type { Books } from '../money/books.ts';
import { scopesFor, type BudgetScope } from '../money/budget.ts';
import { totalCost } from '../money/usage-math.ts';
import { planRoute, type Plan } from '../routing/router.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { LaneTable, SettingsService } from '../settings/settings.ts';
import { parseModelRef } from '../shared/types.ts';
import { type Vendor } from '../shared/provider-spec.ts';
import type { ExecuteInput, Execution } from '../routing/execution.ts';
import type { CapturedMessage } from './capture.ts';
import type { CapturedMessages } from './captured-messages.ts';
import type { DigestChannel } from './digest-channels.ts';
import { renderDigest, type SourceMessage } from './digest-render.ts';
import { fileNoteForModel } from './captured-files.ts';
import { summarise, type Summary, type SummaryEnv } from './summarise.ts';
import { digestNotes } from './digest-notes.ts';
import { digestDetails, requestNote } from './digest-evidence.ts';

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
  /** The price table digests are routed, held and priced with. */
  catalogue: PriceCatalogue;
  messages: CapturedMessages;
  maxOutputTokens: number;
  secrets?: SecretRegistry;
  /** Dates each digest run: the injected clock. */
  now: () => Date;
  /** Input tokens per map call (default 6,000). */
  chunkTokens?: number;
  /** Map calls in flight at once per digest (default 8). */
  concurrency?: number;
  /** Links a footer's evidence id to its page, when pages are on. */
  evidenceLink?: EvidenceLink | undefined;
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

/** Digests on the one job pipeline: it supplies the captured day, the map-reduce calls and the digest's footer words. */
export function createDigestRunner(o: DigestRunnerOptions): DigestRunner {
  const pipeline = createJobPipeline(o);
  return {
    async run(input) {
      const c = input.channel;
      const captured = await o.messages.list(c.workspaceId, c.channelId, input.from, input.to);
      if (captured.length === 0) return { kind: 'empty' };
      const origin = { workspaceId: c.workspaceId, channelId: c.channelId, userId: input.userId, platform: c.platform, command: 'digest' };
      const sources = tag(captured, c.timezone);
      const done = await pipeline.run({
        origin,
        onRecorded: input.onRecorded,
        prepare: async ({ at }) => ({ ...(await prepare(o, c, origin, at)), request: requestNote(captured.length, input, o.maxOutputTokens) }),
        execute: async (p, run): Promise<Digested | JobUnanswered> => {
          const summary = await summarise([...sources.values()], { ...p.env, gate: run.gate }, c.options.maxBullets ?? DEFAULT_MAX_BULLETS);
          const trail = { calls: summary.calls, details: digestDetails(summary, sources, input, captured.length) };
          const error = failureOf(summary, run.id);
          return error ? { ...trail, error } : { ...trail, answer: JSON.stringify(summary.points), summary };
        },
        footer: ({ summary }, p) => ({
          models: summary.models,
          laneReason: p.plan.reason === 'command default' ? 'digest default' : p.plan.reason,
          notes: digestNotes(summary, captured.length),
        }),
      });
      const reply = renderDigest(input.title, done.work.summary.points, sources, done.footer);
      return { kind: 'done', reply, evidenceId: done.id, costUsd: totalCost(done.work.calls) };
    },
  };
}

/** A digest with points to post. */
interface Digested extends JobWork {
  summary: Summary;
}

/** Keys, lane and budget scopes for one digest, as the summary calls need them (the pipeline adds the gate). */
async function prepare(
  o: DigestRunnerOptions,
  c: DigestChannel,
  origin: JobOrigin,
  at: Date,
): Promise<{ plan: Plan; scopes: BudgetScope[]; env: Omit<SummaryEnv, 'gate'> }> {
  const settings = await o.settings.get(c.workspaceId);
  const [usable, lanes] = await Promise.all([o.keys.usable(c.workspaceId), o.settings.lanes(c.workspaceId)]);
  const plan = planFor(o.catalogue, c, lanes, new Set(usable.keys()));
  const scopes = [...scopesFor(origin, settings.budgets, at), digestScope(c.workspaceId, c.channelId, c.options.monthlyBudgetUsd, at)];
  const own = o.secrets?.forWorkspace(c.workspaceId);
  const env = {
    execute: o.execute,
    workspaceId: c.workspaceId,
    plan,
    keys: usable,
    maxOutputTokens: o.maxOutputTokens,
    chunkTokens: o.chunkTokens ?? 6_000,
    concurrency: o.concurrency ?? 8,
    ...(own ? { scrub: (t: string) => own.scrub(t) } : {}),
  };
  return { plan, scopes, env };
}

function planFor(catalogue: PriceCatalogue, c: DigestChannel, lanes: LaneTable, usable: ReadonlySet<Vendor>): Plan {
  const model = c.options.model ? parseModelRef(c.options.model) : undefined;
  return planRoute(catalogue, { ...(model ? { model } : {}), ...(c.options.lane ? { lane: c.options.lane } : {}), commandLane: 'cheap' }, lanes, usable);
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
      text: `${m.text}${fileNoteForModel(m.files ?? [])}`,
      ...(parent ? { inThread: parent } : {}),
      ...(m.files && m.files.length > 0 ? { files: m.files } : {}),
      ...(m.permalink ? { permalink: m.permalink } : {}),
    });
  });
  return out;
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
