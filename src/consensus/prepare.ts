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
import { pickMembers, type MemberPlan } from './members.ts';

/** What a user asked of `/consensus`. */
export interface ConsensusInput {
  origin: JobOrigin;
  question: string;
  /** Earlier turns of the thread, oldest first. */
  history?: ChatMessage[];
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
  request: ModelRequest;
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
}

/** Settings → keys → panel → worst-case estimate → budget room → confirmation, before any spend. */
export async function prepareConsensus(input: ConsensusInput, d: PrepareDeps): Promise<Prepared> {
  const { settings, request, dropped, usable, lanes, scopes } = await loadJobBasis(d, input.origin, input.question, input.history, d.now);
  const vendors = new Set(usable.keys());
  const judgeModel = (settings.consensusJudge ? parseModelRef(settings.consensusJudge) : undefined) ?? d.synthesisModel;
  const plan = pickMembers({ ...(input.models ? { models: input.models } : {}), ...(input.lane ? { lane: input.lane } : {}) }, lanes, vendors);
  const judges = possibleJudges(judgeModel, lanes.balanced, plan.members, vendors);
  const estimate = estimateConsensus(d.catalogue, plan.members, request, judges, d.now);
  await requireBudgetRoom(estimate, d.books, scopes);
  requireConsensusConfirmation(estimate, settings.confirmAboveUsd, input.confirmed === true);
  return { plan, request, history: request.messages.slice(0, -1), dropped, usable, lanes, scopes, estimate, judgeModel };
}
