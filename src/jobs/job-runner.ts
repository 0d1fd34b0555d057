import type { Books } from '../money/books.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { BudgetScope } from '../money/budget.ts';
import { fitPlanToBudget, requireConfirmation } from '../routing/budget-fit.ts';
import { trimmedContextNote } from '../models/model-rules.ts';
import { loadJobBasis } from './job-basis.ts';
import type { CallRecord, EvidenceStore } from '../evidence/evidence-store.ts';
import type { ExecuteInput, Execution, WaitNotice } from '../routing/executor.ts';
import { servedModelName } from '../money/footer.ts';
import { explainFailure } from './job-failure.ts';
import type { JobOrigin } from './job-record.ts';
import type { OnRecorded } from './job-facts.ts';
import { createJobPipeline, type EvidenceLink } from './job-pipeline.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import { planRoute, type Plan, type RouteRequest } from '../routing/router.ts';
import type { SettingsService, WorkspaceSettings } from '../settings/settings.ts';
import type { ChatMessage, ModelRequest, Vendor } from '../shared/provider-spec.ts';
import { totalCost } from '../money/usage-math.ts';
import type { FileLimits } from '../files/prepared-file.ts';
import { fitPlanToFiles } from '../routing/file-fit.ts';
import type { RequestFor } from '../routing/job-files.ts';
import type { EvidenceFile } from '../evidence/evidence-store.ts';
import { readJobFiles, type FilesInput, type ReadJobFiles } from './job-files.ts';

export type { JobOrigin } from './job-record.ts';

export interface AskInput {
  origin: JobOrigin;
  question: string;
  history?: ChatMessage[];
  /** Files shared with the question (and earlier in its thread), read once before any spend. */
  files?: FilesInput;
  route: RouteRequest;
  /** The user confirmed a job above the workspace's cost threshold (`--yes`). */
  confirmed?: boolean;
  onText?: (delta: string) => void;
  /** Aborts when the job is cancelled: the call stops, and what it was billed is booked. */
  signal?: AbortSignal;
  /** Told when a vendor fails and the job moves on (a failover), for platforms that show steps. */
  onFailover?: (vendor: Vendor, reason: string) => void;
  /** Told when the job waits long for a vendor's rate limit, e.g. "Waiting for OpenAI's rate limit, about 12 s". */
  onWait?: (notice: WaitNotice) => void;
  /** Told the lane and models once the job is planned, so a platform can show progress. */
  onPlan?: (plan: Plan) => void;
  /** Told the job's facts once its evidence record is written, answered or failed (the job's log line). */
  onRecorded?: OnRecorded;
}

/** A finished answer with its footer and the audit trail behind it. */
export interface Answer {
  text: string;
  footer: string;
  evidenceId: string;
  plan: Plan;
  calls: Execution['calls'];
  costUsd: number | undefined;
}

/** What `/ask` calls: keys → route → budget fit → one routed execution, recorded and footed by the job pipeline. */
export interface JobRunner {
  ask(input: AskInput): Promise<Answer>;
}

export interface JobRunnerOptions {
  keys: KeyService;
  settings: SettingsService;
  execute: (x: ExecuteInput) => Promise<Execution>;
  books: Books;
  evidence: EvidenceStore;
  /** The price table jobs are routed, held and priced with. */
  catalogue: PriceCatalogue;
  maxOutputTokens: number;
  /** Token budget for thread context sent with a question. */
  historyBudgetTokens?: number;
  /** Known keys and tokens, kept out of questions (see `loadJobBasis`) and out of files. */
  secrets?: SecretRegistry;
  /** Size limits on a job's files (`HIVE_FILE_MAX_MB`, `HIVE_JOB_FILES_MAX_MB`, `HIVE_JOB_FILES_MAX`). */
  fileLimits?: FileLimits;
  /** Dates each job (its evidence, bookings, month and price): the injected clock, never the wall clock. */
  now: () => Date;
  /** Links a footer's evidence id to its page, when pages are on. */
  evidenceLink?: EvidenceLink | undefined;
}

export const SYSTEM_PROMPT = 'You are Hive, an assistant answering in a team chat. Answer directly and concisely in Markdown.';

/** `/ask` on the one job pipeline: it supplies the routed plan, the single execution and the footer's notes. */
export function createJobRunner(o: JobRunnerOptions): JobRunner {
  const pipeline = createJobPipeline(o);
  return {
    async ask(input) {
      const done = await pipeline.run({
        origin: input.origin,
        onRecorded: input.onRecorded,
        bookAnswerWithEvidence: true,
        clockFromExecution: true,
        prepare: ({ at }) => prepare(o, input, at),
        execute: async (p, run) => {
          const exec = await o.execute({
            workspaceId: input.origin.workspaceId,
            candidates: p.plan.candidates,
            pinned: p.plan.pinned,
            request: p.request,
            ...(p.requestFor ? { requestFor: p.requestFor } : {}),
            keys: p.usable,
            gate: run.gate,
            ...(input.onText ? { onText: input.onText } : {}),
            ...(input.onWait ? { onWait: input.onWait } : {}),
            ...(input.signal ? { signal: input.signal } : {}),
            ...(input.onFailover ? { onFailover: input.onFailover } : {}),
          });
          return { calls: exec.calls, answer: exec.result.text, exec };
        },
        explain: (e, p, id) => explainFailure(e, p.plan, p.usable, id),
        footer: ({ exec }, p) => ({
          models: [servedModelName(exec.ref.model, exec.calls.at(-1))],
          files: p.read?.summary,
          notes: [
            ...(exec.failures.length > 0 ? [`via ${exec.ref.vendor} (${exec.failures.join(', ')})`] : []),
            ...paidAttemptsNote(exec.calls),
            ...p.notes,
            ...(p.read?.files.notes(exec.ref) ?? []),
          ],
        }),
      });
      const { exec } = done.work;
      return { text: exec.result.text, footer: done.footer, evidenceId: done.id, plan: done.prep.plan, calls: exec.calls, costUsd: totalCost(exec.calls) };
    },
  };
}

interface Prepared {
  /** The question and its thread, as the evidence keeps them (no file content). */
  request: ModelRequest;
  /** The request as each model receives it, with the files prepared for that model (a job with files). */
  requestFor?: RequestFor | undefined;
  read?: ReadJobFiles;
  files?: EvidenceFile[];
  usable: Awaited<ReturnType<KeyService['usable']>>;
  plan: Plan;
  scopes: BudgetScope[];
  /** Footer notes known before the call: budget step-down, trimmed context. */
  notes: string[];
}

/** Everything decided before a vendor is called: request, keys, lane, budget fit, confirmation. */
async function prepare(o: JobRunnerOptions, input: AskInput, at: Date): Promise<Prepared> {
  const deps = { ...o, system: SYSTEM_PROMPT };
  const { settings, request, dropped, usable, lanes, scopes } = await loadJobBasis(deps, input.origin, input.question, input.history, at);
  const ws = input.origin.workspaceId;
  const read = input.files ? await readJobFiles(input.files, { limits: o.fileLimits, signal: input.signal, secrets: o.secrets?.forWorkspace(ws) }) : undefined;
  const workspaceLane = defaultLaneOf(settings, input.origin.channelId);
  const route = { ...input.route, ...(workspaceLane ? { workspaceLane } : {}), text: input.question };
  const vendors = new Set(usable.keys());
  const first = planRoute(o.catalogue, route, lanes, vendors);
  const fit = read ? fitPlanToFiles(first, lanes, vendors, read.files) : { plan: first, lanes };
  const priced = { catalogue: o.catalogue, at };
  const requestFor = read?.files.requestFor(request);
  const { plan, note } = await fitPlanToBudget(fit.plan, fit.lanes, vendors, o.books, scopes, requestFor ?? request, priced);
  requireConfirmation(plan, requestFor ?? request, settings.confirmAboveUsd, input.confirmed === true, priced);
  input.onPlan?.(plan);
  const notes = ['note' in fit ? fit.note : undefined, note, trimmedContextNote(dropped)].filter((n): n is string => n !== undefined && n !== '');
  const files = read ? { requestFor, read, ...(read.evidence ? { files: read.evidence } : {}) } : {};
  return { request, ...files, usable, plan, scopes, notes };
}

/** The channel's default lane, else the workspace's, else none (automatic). */
function defaultLaneOf(s: WorkspaceSettings, channelId: string): RouteRequest['workspaceLane'] {
  const channel = s.channelLanes?.[channelId];
  if (channel) return { lane: channel, scope: 'channel' };
  return s.defaultLane ? { lane: s.defaultLane, scope: 'workspace' } : undefined;
}

/** `2 attempts paid` when more than one call of the job was billed (a retry after a cut stream), else nothing. */
export function paidAttemptsNote(calls: readonly CallRecord[]): string[] {
  const paid = calls.filter((c) => c.usage !== undefined).length;
  return paid > 1 ? [`${paid} attempts paid`] : [];
}
