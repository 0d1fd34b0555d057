import { cannotRead, cannotReadWords, readersOnly } from '../routing/file-fit.ts';
import type { JobFiles } from '../routing/job-files.ts';
import type { LaneTable } from '../settings/settings.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import type { ModelRef } from '../shared/types.ts';
import { pickMembers, type MemberPlan, type MemberRequest } from './members.ts';

/**
 * The panel for a consensus with files: every member gets the same files, so a model that cannot
 * read one sits out (a vendor's lane model that can takes its place) and the footer says who and
 * why; a panel left with none is refused naming the models that would take the files.
 */
export function pickMembersForFiles(req: MemberRequest, lanes: LaneTable, usable: ReadonlySet<Vendor>, files: JobFiles): { plan: MemberPlan; note?: string } {
  const full = pickMembers(req, lanes, usable);
  const reads = (ref: ModelRef) => files.unreadable(ref).length === 0;
  if (files.files.length === 0 || full.members.every(reads)) return { plan: full };
  const plan = req.models && req.models.length > 0 ? namedReaders(full, reads) : laneReaders(req, lanes, usable, files);
  if (!plan) throw cannotRead(files, full.members, lanes);
  const out = full.members.filter((m) => !plan.members.some((p) => p.vendor === m.vendor && p.model === m.model));
  const note = out.length > 0 ? `${cannotReadWords(out, files)}, so ${out.length === 1 ? 'it sits' : 'they sit'} out` : undefined;
  const alone =
    plan.members.length === 1 ? { alone: `Only ${plan.members[0]!.model} reads the files shared here, so this is its answer alone, not a consensus.` } : {};
  return { plan: { ...plan, ...alone }, ...(note ? { note } : {}) };
}

/** The named models that read the files; none when no one does. */
function namedReaders(full: MemberPlan, reads: (ref: ModelRef) => boolean): MemberPlan | undefined {
  const members = full.members.filter(reads);
  if (members.length === 0) return undefined;
  const { alone: _alone, ...rest } = full;
  return { ...rest, members };
}

/** One model per vendor from the lane's readers; none when the lane has no reader with a key. */
function laneReaders(req: MemberRequest, lanes: LaneTable, usable: ReadonlySet<Vendor>, files: JobFiles): MemberPlan | undefined {
  try {
    const { alone: _alone, ...plan } = pickMembers(req, readersOnly(lanes, files), usable);
    return plan;
  } catch {
    return undefined;
  }
}
