import { UserError } from '../src/shared/errors.ts';
import type { FlagSpec } from '../src/chat/args.ts';
import type { RouteRequest } from '../src/routing/router.ts';
import type { Invocation } from '../src/chat/invocation.ts';
import type { JobOrigin } from '../src/jobs/job-record.ts';
import type { FilesInput } from '../src/jobs/job-files.ts';
import type { LaneName } from '../src/shared/types.ts';
import { LANES } from '../src/shared/types.ts';
import { VENDORS } from '../src/shared/provider-spec.ts';
import { readModelRef, type ModelCheck } from './model-arg.ts';
import { term } from '../src/shared/platform-terms.ts';

/** Flags shared by every command that routes a model job. */
export const LANE_FLAGS: FlagSpec = { cheap: 'boolean', balanced: 'boolean', deep: 'boolean', model: 'string', yes: 'boolean' };

/** The one lane flag given, if any; two lane flags are a contradiction. */
export function laneFromFlags(flags: Record<string, string | true>, usage: string): LaneName | undefined {
  const lanes = LANES.filter((l) => flags[l] === true);
  if (lanes.length > 1) throw new UserError(`Pick one lane: ${lanes.map((l) => `--${l}`).join(' or ')}.\nUsage: ${usage}`, 'usage');
  return lanes[0];
}

/** The question after the flags: present, and within the input limit (a cap on what one job can cost). */
export function questionFrom(rest: string, maxChars: number, usage: string): string {
  if (rest.length === 0) throw new UserError(`What is the question?\nUsage: ${usage}`, 'usage');
  if (rest.length > maxChars) {
    throw new UserError(
      `That question is ${rest.length.toLocaleString('en-US')} characters; the limit is ${maxChars.toLocaleString('en-US')}. Shorten it or split it.`,
      'input_too_long',
    );
  }
  return rest;
}

/** Who asked, where: the part of an invocation that a job's ledger and evidence record. */
export function originOf(inv: Invocation, command: string): JobOrigin {
  return {
    workspaceId: inv.workspaceId,
    channelId: inv.channelId,
    userId: inv.userId,
    platform: inv.platform,
    command,
    ...(inv.threadId ? { threadId: inv.threadId } : {}),
    ...(inv.jobId ? { jobId: inv.jobId } : {}),
  };
}

/**
 * The files shared with a request, for its job to read once: their fenced text may use what the
 * job's input limit leaves after the question.
 */
export function filesOf(inv: Invocation, question: string, maxInputChars: number): { files?: FilesInput } {
  if (!inv.attachments || inv.attachments.length === 0) return {};
  return { files: { refs: inv.attachments, read: inv.readAttachment, maxTextChars: Math.max(0, maxInputChars - question.length) } };
}

/** Turns lane and model flags into a route request, refusing contradictions. */
export function routeFromFlags(flags: Record<string, string | true>, usage: string, check: ModelCheck): RouteRequest {
  const lane = laneFromFlags(flags, usage);
  const modelText = flags.model;
  if (typeof modelText === 'string') {
    if (lane) throw new UserError(`Use either ${term.option('model')} or ${term.option(lane)}, not both.\nUsage: ${usage}`, 'usage');
    const model = readModelRef(modelText, check);
    if (!model) {
      throw new UserError(
        `A model is named provider:model (in ${term.option('model')}), where provider is ${VENDORS.join(', ')} (e.g. openai:gpt-6-luna).`,
        'usage',
      );
    }
    return { model };
  }
  return lane ? { lane } : {};
}
