import type { FileKind, PreparedFile } from '../files/prepared-file.ts';
import type { LaneTable } from '../settings/settings.ts';
import { UserError } from '../shared/errors.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { formatModelRef, LANES, type LaneName, type ModelRef } from '../shared/types.ts';
import type { JobFiles } from './job-files.ts';
import type { Plan } from './router.ts';

/** A plan whose models read every file of the job, the lanes left to step down to, and why the plan moved. */
export interface FileFit {
  plan: Plan;
  /** Each lane with only the models that read the job's files (a budget step-down chooses among these). */
  lanes: LaneTable;
  note?: string;
}

/** Where a lane's job goes when none of its models reads the files: the nearest lane first, the cheaper on a tie. */
const NEXT_LANES: Record<LaneName, LaneName[]> = { cheap: ['balanced', 'deep'], balanced: ['cheap', 'deep'], deep: ['balanced', 'cheap'] };

/**
 * Skips the models that cannot read a job's files (by the capability table, through what each
 * would receive). A lane with none left hands the job to the next lane that can, and the footer says
 * why; a pinned model that cannot, or no lane that can, is refused naming the models that would.
 */
export function fitPlanToFiles(plan: Plan, lanes: LaneTable, usable: ReadonlySet<Vendor>, files: JobFiles): FileFit {
  if (files.files.length === 0) return { plan, lanes };
  const reads = (ref: ModelRef) => files.unreadable(ref).length === 0;
  const readable = readersOnly(lanes, files);
  if (plan.pinned) {
    if (plan.candidates.every(reads)) return { plan, lanes: readable };
    throw cannotRead(files, plan.candidates, lanes);
  }
  const kept = plan.candidates.filter(reads);
  if (kept.length > 0) {
    const skipped = plan.candidates.filter((r) => !reads(r));
    const note = skipped.length > 0 ? laneWords(plan.lane, kept, skipped, files) : undefined;
    return { plan: { ...plan, candidates: kept }, lanes: readable, ...(note ? { note } : {}) };
  }
  for (const lane of NEXT_LANES[plan.lane]) {
    const candidates = readable[lane].filter((r) => usable.has(r.vendor));
    if (candidates.length === 0) continue;
    const skipped = lanes[lane].filter((r) => usable.has(r.vendor) && !reads(r));
    const why = `${plan.lane} lane skipped: ${cannotReadWords(plan.candidates, files)}`;
    const note = `${why}; ${laneWords(lane, candidates, skipped, files)}`;
    return { plan: { ...plan, lane, candidates, reason: `${plan.reason}, files` }, lanes: readable, note };
  }
  throw cannotRead(files, plan.candidates, lanes);
}

/** Each lane with only the models that read every file of the job. */
export function readersOnly(lanes: LaneTable, files: JobFiles): LaneTable {
  return Object.fromEntries(LANES.map((l) => [l, lanes[l].filter((r) => files.unreadable(r).length === 0)])) as Record<LaneName, ModelRef[]>;
}

/** `gpt-6-luna does not read images`. */
export function cannotReadWords(refs: readonly ModelRef[], files: JobFiles): string {
  return `${names(refs)} ${doesNot(refs)} read ${kindsOf(files, refs)}`;
}

/** `deep lane: claude-opus-5-5 reads images; gpt-6.2-astra does not`. */
function laneWords(lane: LaneName, readers: readonly ModelRef[], others: readonly ModelRef[], files: JobFiles): string {
  const kinds = kindsOf(files, others.length > 0 ? others : readers);
  const read = `${lane} lane: ${names(readers)} ${readers.length === 1 ? 'reads' : 'read'} ${kinds}`;
  return others.length === 0 ? read : `${read}; ${names(others)} ${doesNot(others)}`;
}

/** Refuses a job no usable model can read, naming each file it could not take and the models that would. */
export function cannotRead(files: JobFiles, tried: readonly ModelRef[], lanes: LaneTable): UserError {
  const stuck = [...new Map(tried.flatMap((r) => files.unreadable(r)).map((f) => [f.name, f])).values()];
  const would = [...new Map(LANES.flatMap((l) => lanes[l]).map((r) => [formatModelRef(r), r])).values()].filter((r) => files.unreadable(r).length === 0);
  const which = stuck.map((f) => `${f.name} (${KIND_WORDS[f.kind]})`).join(', ');
  const fix =
    would.length > 0
      ? ` Models that would take ${stuck.length === 1 ? 'it' : 'them'}: ${would.map(formatModelRef).join(', ')}; ask with --model, or an admin adds a key for one.`
      : ' No model in this workspace’s lanes reads it; share it as text or PDF instead.';
  return new UserError(`${names(tried)} cannot read ${which}, so nothing was sent.${fix}`, 'file_unreadable_by_model');
}

const KIND_WORDS: Record<FileKind, string> = { image: 'an image', pdf: 'a PDF', text: 'a text file' };
const KIND_PLURAL: Record<FileKind, string> = { image: 'images', pdf: 'PDFs', text: 'text files' };

/** The kinds of file the given models cannot take: `images`, `images and PDFs`. */
function kindsOf(files: JobFiles, refs: readonly ModelRef[]): string {
  const unread: PreparedFile[] = refs.flatMap((r) => files.unreadable(r));
  const kinds = [...new Set((unread.length > 0 ? unread : files.files).map((f) => KIND_PLURAL[f.kind]))];
  return kinds.join(' and ');
}

const names = (refs: readonly ModelRef[]) => refs.map((r) => r.model).join(', ');
const doesNot = (refs: readonly ModelRef[]) => (refs.length === 1 ? 'does not' : 'do not');
