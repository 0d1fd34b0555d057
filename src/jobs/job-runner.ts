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
import { planRoute, type LearnedVerdict, type Plan, type RouteRequest } from '../routing/router.ts';
import { ruleOf } from '../routing/route-rule.ts';
import { routingDefaultOf, type LaneTable, type SettingsService, type WorkspaceSettings } from '../settings/settings.ts';
import { runCheapFirst, type RunPlan } from './cheap-first.ts';
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
  /** The learned policy's verdict for a workspace's question at a target share of strong calls; without it, `learned` routes by the rules. */
  learned?: ((workspaceId: string, text: string, strongShare: number) => Promise<LearnedVerdict>) | undefined;
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
          const runPlan: RunPlan = (plan, request, requestFor, stream, bookAs) =>
            o.execute({
              workspaceId: input.origin.workspaceId,
              candidates: plan.candidates,
              pinned: plan.pinned,
              request,
              ...(requestFor ? { requestFor } : {}),
              keys: p.usable,
              gate: bookAs ? run.gate.routed({ lane: bookAs.lane, route: ruleOf(bookAs.reason) }) : run.gate,
              ...(stream && input.onText ? { onText: input.onText } : {}),
              ...(input.onWait ? { onWait: input.onWait } : {}),
              ...(input.signal ? { signal: input.signal } : {}),
              ...(input.onFailover ? { onFailover: input.onFailover } : {}),
            });
          if (!p.plan.cascade) {
            const exec = await runPlan(p.plan, p.request, p.requestFor, true);
            return { calls: exec.calls, answer: exec.result.text, exec, cascadeNotes: [] };
          }
          const c = await runCheapFirst({ ...p, vendors: new Set(p.usable.keys()), books: o.books, priced: { catalogue: o.catalogue, at: run.at } }, runPlan);
          return { calls: c.calls, answer: c.exec.result.text, exec: c.exec, route: c.route, cascadeNotes: c.notes };
        },
        explain: (e, p, id) => explainFailure(e, p.plan, p.usable, id),
        footer: (w, p) => ({
          models: [servedModelName(w.exec.ref.model, w.exec.calls.at(-1))],
          files: p.read?.summary,
          notes: [
            ...(w.exec.failures.length > 0 ? [`via ${w.exec.ref.vendor} (${w.exec.failures.join(', ')})`] : []),
            ...paidAttemptsNote(w.exec.calls),
            ...p.notes,
            ...w.cascadeNotes,
            ...(p.read?.files.notes(w.exec.ref) ?? []),
          ],
        }),
      });
      const { exec } = done.work;
      const plan = done.work.route ? { ...done.prep.plan, ...done.work.route } : done.prep.plan;
      return { text: exec.result.text, footer: done.footer, evidenceId: done.id, plan, calls: done.work.calls, costUsd: totalCost(done.work.calls) };
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
  lanes: LaneTable;
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
  const route = { ...input.route, ...(await routingOf(o, settings, input)), text: input.question };
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
  return { request, ...files, usable, plan, lanes, scopes, notes };
}

/** The channel's lane or policy, else the workspace's, else none (the rules); a learned policy's verdict on the question. */
async function routingOf(o: JobRunnerOptions, s: WorkspaceSettings, input: AskInput): Promise<Partial<RouteRequest>> {
  const d = routingDefaultOf(s, input.origin.channelId);
  if (!d) return {};
  if ('lane' in d) return { workspaceLane: { lane: d.lane, scope: d.scope } };
  const { policy } = d;
  if (policy.name !== 'learned') return { policy: policy.name };
  if (!o.learned || input.route.lane || input.route.model) return { policy: policy.name };
  return { policy: policy.name, learned: await o.learned(input.origin.workspaceId, input.question, policy.strongShare) };
}

/** `2 attempts paid` when more than one call of the job was billed (a retry after a cut stream), else nothing. */
export function paidAttemptsNote(calls: readonly CallRecord[]): string[] {
  const paid = calls.filter((c) => c.usage !== undefined).length;
  return paid > 1 ? [`${paid} attempts paid`] : [];
}
