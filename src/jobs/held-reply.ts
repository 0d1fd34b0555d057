import type { Reply } from '../chat/invocation.ts';
import type { Sealer } from '../keys/crypto.ts';

const aadOf = (jobId: string) => `hive-held-reply:${jobId}`;

/** Seals an answer a run could not deliver: it holds the question's answer, so it is never readable at rest. */
export function sealReply(sealer: Sealer, jobId: string, reply: Reply): string {
  return JSON.stringify(sealer.seal(JSON.stringify(reply), aadOf(jobId)));
}

/** Opens a held answer; one sealed for another job fails to open. */
export function openReply(sealer: Sealer, jobId: string, held: string): Reply {
  return JSON.parse(sealer.open(JSON.parse(held) as Parameters<Sealer['open']>[0], aadOf(jobId))) as Reply;
}
