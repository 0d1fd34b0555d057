import type { MemberProgress } from './member-run.ts';
import type { Books } from '../money/books.ts';
import type { BudgetScope } from '../money/budget.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { loadJobBasis, type JobBasisDeps } from '../jobs/job-basis.ts';
import type { JobOrigin } from '../jobs/job-record.ts';
import type { OnRecorded } from '../jobs/job-facts.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { LaneTable } from '../settings/settings.ts';
import type { LaneName, ModelRef } from '../shared/types.ts';
import type { ChatMessage, ModelRequest, Vendor } from '../shared/provider-spec.ts';
import { parseModelRef } from '../shared/types.ts';
import type { WaitNotice } from '../routing/executor.ts';
import { estimateConsensus, requireBudgetRoom, requireConsensusConfirmation, type ConsensusEstimate } from './estimate.ts';
import { possibleJudges } from './judge-choice.ts';
import type { MemberPlan } from './members.ts';
import { pickMembersForFiles } from './file-members.ts';
import { readJobFiles, type FilesInput, type ReadJobFiles } from '../jobs/job-files.ts';
import type { RequestFor } from '../routing/job-files.ts';
import type { EvidenceFile } from '../evidence/evidence-store.ts';
import type { FileLimits } from '../files/prepared-file.ts';

/** What a user asked of `/consensus`. */
export interface ConsensusInput {
  origin: JobOrigin;
  question: string;
  /** Earlier turns of the thread, oldest first. */
  history?: ChatMessage[];
  /** Files shared with the question: read once, sent to every member as its vendor takes them. */
  files?: FilesInput;
  /** `--models a,b,c`. */
  models?: ModelRef[];
  /** `--cheap|--balanced|--deep`. */
  lane?: LaneName;
  /** `--yes`: the user accepts a cost above the workspace's confirmation threshold. */
  confirmed?: boolean;
  /** Told as each member starts and ends. */
  onMember?: (m: MemberProgress) => void;
  /** Aborts when the job is cancelled: members stop, and what they were billed is kept. */
  signal?: AbortSignal;
  /** Told when a member waits long for its vendor's rate limit, so the platform can say why. */
  onWait?: (notice: WaitNotice) => void;
  /** Told the job's facts once its evidence record is written, answered or failed (the job's log line). */
  onRecorded?: OnRecorded;
}

/** Everything known before the first call: panel, request, budget scopes and the worst case. */
export interface Prepared {
  plan: MemberPlan;
  /** The question and its thread, as the evidence keeps them (no file content). */
  request: ModelRequest;
  /** The request as each member receives it, with the files prepared for its vendor. */
  requestFor: RequestFor;
  read: ReadJobFiles;
  files?: EvidenceFile[];
  /** Why a model sits out (it cannot read a file), for the footer. */
  fileNote?: string;
  history: ChatMessage[];
  dropped: number;
  usable: Map<Vendor, UsableKey>;
  lanes: LaneTable;
  scopes: BudgetScope[];
  estimate: ConsensusEstimate;
  /** The synthesis model asked for: the workspace's setting, else the deployment's. */
  judgeModel: ModelRef | undefined;
}

/** The services and limits the pre-flight reads. */
export interface PrepareDeps extends JobBasisDeps {
  books: Books;
  catalogue: PriceCatalogue;
  synthesisModel: ModelRef | undefined;
  now: Date;
  fileLimits?: FileLimits | undefined;
}

/** Settings → keys → panel → worst-case estimate → budget room → confirmation, before any spend. */
export async function prepareConsensus(input: ConsensusInput, d: PrepareDeps): Promise<Prepared> {
  const { settings, request, dropped, usable, lanes, scopes } = await loadJobBasis(d, input.origin, input.question, input.history, d.now);
  const read = await readJobFiles(input.files, { limits: d.fileLimits, signal: input.signal, secrets: d.secrets?.forWorkspace(input.origin.workspaceId) });
  const vendors = new Set(usable.keys());
  const judgeModel = (settings.consensusJudge ? parseModelRef(settings.consensusJudge) : undefined) ?? d.synthesisModel;
  const asked = { ...(input.models ? { models: input.models } : {}), ...(input.lane ? { lane: input.lane } : {}) };
  const { plan, note } = pickMembersForFiles(asked, lanes, vendors, read.files);
  const judges = possibleJudges(judgeModel, lanes.balanced, plan.members, vendors);
  const requestFor = read.files.requestFor(request);
  const estimate = estimateConsensus(d.catalogue, plan.members, request, judges, d.now, requestFor);
  await requireBudgetRoom(estimate, d.books, scopes);
  requireConsensusConfirmation(estimate, settings.confirmAboveUsd, input.confirmed === true);
  const files = read.evidence ? { files: read.evidence } : {};
  const history = request.messages.slice(0, -1);
  return { plan, request, requestFor, read, ...files, ...(note ? { fileNote: note } : {}), history, dropped, usable, lanes, scopes, estimate, judgeModel };
}
