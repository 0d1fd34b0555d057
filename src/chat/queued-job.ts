import type { Sealed, Sealer } from '../keys/crypto.ts';
import type { ChatMessage } from '../shared/provider-spec.ts';
import type { AttachmentRef } from '../shared/attachment.ts';

/**
 * A platform's own facts for answering from another process (a response URL, an interaction token),
 * as plain data; written and read back only through the platform's codec (address-codec.ts).
 */
export type JobAddress = Record<string, unknown>;

/** Which codec wrote a job's address, so a worker refuses one it cannot read instead of half-answering. */
export interface AddressFormat {
  platform: string;
  /** The version of the platform's address shape. */
  v: number;
}

/**
 * A chat request on its way from the process that received it to the worker that answers it:
 * what the command needs, and the platform's reply address.
 */
export interface QueuedJob {
  /** Derived from the platform event (`slack:slash:<trigger>`), so a redelivered event adds no second job. */
  id: string;
  platform: string;
  workspaceId: string;
  channelId: string;
  userId: string;
  threadId?: string;
  command: string;
  text: string;
  context?: ChatMessage[];
  /** The request's files as the platform described them; the worker's adapter reads them again. */
  attachments?: AttachmentRef[];
  address: JobAddress;
  /** Set by the platform's codec; absent only in jobs an older intake queued, which workers refuse. */
  addressFormat?: AddressFormat;
  /** When intake queued it (epoch ms): the job's queue latency starts here. */
  enqueuedAt: number;
}

/** What the queue holds for a job: routing facts in the clear, the request itself sealed. */
export interface QueuedJobData {
  v: 1;
  /** The job's own id, as the platform event gave it (the queue may spell its key differently). */
  id: string;
  platform: string;
  workspaceId: string;
  enqueuedAt: number;
  /** The whole job, sealed with the master key: reply addresses and questions are never readable in the queue. */
  sealed: Sealed;
}

const aadOf = (id: string) => `hive-job:${id}`;

/** Seals a job for the queue; every process of one install shares the master key. */
export function sealJob(sealer: Sealer, job: QueuedJob): QueuedJobData {
  return {
    v: 1,
    id: job.id,
    platform: job.platform,
    workspaceId: job.workspaceId,
    enqueuedAt: job.enqueuedAt,
    sealed: sealer.seal(JSON.stringify(job), aadOf(job.id)),
  };
}

/** Opens a queued job; a job sealed for another id (moved, tampered with) fails to open. */
export function openJob(sealer: Sealer, id: string, data: QueuedJobData): QueuedJob {
  const job = JSON.parse(sealer.open(data.sealed, aadOf(id))) as QueuedJob;
  if (job.id !== id) throw new Error('queued job id does not match its sealed request');
  return job;
}
