import type { Books } from '../money/books.ts';
import { createSpendGate, type BudgetScope, type JobSpendGate } from '../money/budget.ts';
import { trackHolds } from './tracked-holds.ts';
import type { CallRecord, EvidenceFile, EvidenceStore } from '../evidence/evidence-store.ts';
import { ExecutionFailed } from '../routing/execution.ts';
import { newEvidenceId } from '../shared/ids.ts';
import type { ModelRequest } from '../shared/provider-spec.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { OnRecorded } from './job-facts.ts';
import { jobFooter, type FooterParts } from './job-record.ts';
import { recordJob, type JobOrigin, type JobRoute, type JobTrace } from './job-record.ts';
import { jobBooking } from './booked-route.ts';

/** What a job decided before any spend: its lane, the request its evidence keeps, and the budgets its calls are held against. */
export interface JobPreflight {
  plan: JobRoute;
  request: ModelRequest;
  scopes: BudgetScope[];
  /** The files the job read, for its evidence record (never their content; `request` carries none of it either). */
  files?: EvidenceFile[];
}

/** What an execution leaves for the job's evidence record besides its calls. */
interface JobTrail {
  /** Every call made, answered or failed, in order. */
  calls: CallRecord[];
  details?: Record<string, unknown>;
  candidates?: { model: string; text: string }[];
  /** The lane that answered and why, when the execution moved on from the planned one (cheap first escalated). */
  route?: JobRoute;
  /** The footer as shown with the answer. */
  footer?: string;
}

/** An execution that answered: the answer its evidence keeps, and whatever the caller needs to render it. */
export interface JobWork extends JobTrail {
  answer: string;
}

/** An execution that ran yet has nothing to show (no member answered, no part summarised): recorded as failed, then thrown. */
export interface JobUnanswered extends JobTrail {
  error: Error;
}

/** Where one job's execution runs: its evidence id, its time, and the spend gate every call must pass. */
export interface JobRun {
  id: string;
  at: Date;
  gate: JobSpendGate;
}

/** What differs between kinds of job (`/ask`, `/consensus`, digests); the pipeline does the rest. */
export interface JobSpec<P extends JobPreflight, W extends JobWork> {
  origin: JobOrigin;
  /** Told the job's facts once its evidence record is written, answered or failed (the job's log line). */
  onRecorded?: OnRecorded | undefined;
  /** Books the answering call with the evidence record in one transaction, so the answer waits for a single commit (`/ask`). */
  bookAnswerWithEvidence?: boolean;
  /** The footer's time counts from the first call rather than the job's start (`/ask`: the time the vendors took). */
  clockFromExecution?: boolean;
  /** Everything decided before any spend; a refusal here leaves no record. */
  prepare(job: { id: string; at: Date }): Promise<P>;
  /** The model calls: one routed execution, a panel, a map-reduce; every call goes through `run.gate`. */
  execute(prep: P, run: JobRun): Promise<W | JobUnanswered>;
  /** What the requester reads when the execution threw (it is recorded as it was thrown); unchanged without it. */
  explain?(e: unknown, prep: P, id: string): Error;
  /** The kind's own part of the footer: models, notes, and any count it makes differently. */
  footer(work: W, prep: P): FooterParts;
}

/** A recorded, answered job: what the caller renders its reply from. */
export interface JobDone<P extends JobPreflight, W extends JobWork> {
  id: string;
  at: Date;
  prep: P;
  work: W;
  footer: string;
  /** The time the footer states. */
  latencyMs: number;
}

/**
 * The one path every model job takes: evidence id → pre-flight → spend gate → execution → ledger
 * and evidence record (failures too, once) → footer, so no kind of job can skip a step.
 */
export interface JobPipeline {
  run<P extends JobPreflight, W extends JobWork>(spec: JobSpec<P, W>): Promise<JobDone<P, W>>;
}

/** The stores every job writes to; `now` dates the record and its bookings (the injected clock). */
export interface JobPipelineDeps {
  books: Books;
  /** Prices every call's hold and booking, and is named in the evidence record. */
  catalogue: PriceCatalogue;
  evidence: EvidenceStore;
  now: () => Date;
  /** The signed address of a record's page (`HIVE_PUBLIC_URL` set), which the footer links its id to. */
  evidenceLink?: EvidenceLink | undefined;
}

/** A record's page address for a footer, or undefined when pages are off. */
export type EvidenceLink = (workspaceId: string, evidenceId: string) => string | undefined;

/** Built once per kind of job from the books and evidence store, so each kind writes to them the same way. */
export function createJobPipeline(d: JobPipelineDeps): JobPipeline {
  const { now } = d;
  return {
    async run<P extends JobPreflight, W extends JobWork>(spec: JobSpec<P, W>): Promise<JobDone<P, W>> {
      const t0 = performance.now();
      const at = now();
      const id = newEvidenceId(at.getTime());
      const prep = await spec.prepare({ id, at });
      const started = spec.clockFromExecution ? performance.now() : t0;
      const deferAnswered = spec.bookAnswerWithEvidence === true;
      const holds = trackHolds(createSpendGate(d.catalogue, d.books, prep.scopes, jobBooking(spec.origin, prep.plan, id, at), { deferAnswered }));
      const trace: JobTrace = {
        ...{ id, origin: spec.origin, plan: prep.plan, request: prep.request, at, priceTableVersion: d.catalogue.version },
        ...(prep.files ? { files: prep.files } : {}),
      };
      const record = recorder(d.evidence, trace, spec.onRecorded, deferAnswered ? holds.gate : undefined);
      const out = await outcomeOf(() => spec.execute(prep, { id, at, gate: holds.gate }));
      await holds.releaseOpen();
      if ('thrown' in out) {
        await record({ calls: out.thrown instanceof ExecutionFailed ? out.thrown.calls : [] }, null, out.thrown);
        throw spec.explain ? spec.explain(out.thrown, prep, id) : out.thrown;
      }
      if (isUnanswered(out.value)) {
        await record(out.value, null, out.value.error);
        throw out.value.error;
      }
      const work = out.value;
      // The footer is kept in the record as shown (its time up to the record's commit), without the link: a link opens the page.
      const latencyMs = performance.now() - started;
      const [route, parts] = [work.route ?? prep.plan, spec.footer(work, prep)];
      const shown = jobFooter(work.calls, route, id, latencyMs, parts);
      await record({ ...work, footer: shown }, work.answer, undefined);
      const evidenceUrl = d.evidenceLink?.(spec.origin.workspaceId, id);
      const footer = evidenceUrl ? jobFooter(work.calls, route, id, latencyMs, { ...parts, evidenceUrl }) : shown;
      return { id, at, prep, work, footer, latencyMs };
    },
  };
}

/** Writes the job's one evidence record (with the answering call's booking, given the gate) and reports its facts. */
function recorder(evidence: EvidenceStore, trace: JobTrace, onRecorded: OnRecorded | undefined, gate: JobSpendGate | undefined) {
  return async (trail: JobTrail, answer: string | null, error: unknown): Promise<void> => {
    const { route, details, candidates, footer } = trail;
    const t = {
      ...trace,
      ...(route ? { plan: route } : {}),
      ...(details ? { details } : {}),
      ...(candidates ? { candidates } : {}),
      ...(footer ? { footer } : {}),
    };
    onRecorded?.(await recordJob(evidence, t, trail.calls, answer, error, gate));
  };
}

/** The execution's result or what it threw, so its holds are released before either is recorded. */
async function outcomeOf<T>(run: () => Promise<T>): Promise<{ value: T } | { thrown: unknown }> {
  try {
    return { value: await run() };
  } catch (thrown) {
    return { thrown };
  }
}

/** An execution that ran yet left nothing to show says why in `error`. */
function isUnanswered<W extends JobWork>(out: W | JobUnanswered): out is JobUnanswered {
  return 'error' in out && out.error instanceof Error;
}
