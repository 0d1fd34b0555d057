import type { ChatAdapter } from './chat-adapter.ts';
import type { Invocation } from './invocation.ts';
import type { QueuedJob } from './queued-job.ts';

/** The queued job as platforms see it (their seam is src/chat/). */
export type { QueuedJob, JobAddress, AddressFormat } from './queued-job.ts';
export type { JobAddressCodec } from './address-codec.ts';

/** What a worker knows of a job's earlier runs, and where it records what it posts. */
export interface JobDelivery {
  /** An earlier run stopped part-way: it may have posted (see `ref`), so nothing is posted blindly. */
  resumed: boolean;
  /** The message the earlier run recorded (a placeholder's or answer's id), to edit instead of posting. */
  ref?: string;
  /** Records the message this run posted, before anything else happens, for a later resume. */
  posted(ref: string): Promise<void>;
}

/**
 * A chat platform as a worker holds it: no intake (no gateway, no HTTP), only the platform's
 * REST side, to answer queued jobs and post digests from any process of the install.
 */
export interface ChatAnswerer extends Pick<ChatAdapter, 'name' | 'post' | 'edit' | 'history' | 'historyPaceMs'> {
  /**
   * Rebuilds a queued job as an invocation whose replies go out through the platform's APIs. Its
   * address is decoded through the platform's codec first: one it cannot read throws a
   * `JobAddressError` (not retryable) before anything is posted.
   */
  resume(job: QueuedJob, delivery: JobDelivery): Promise<Invocation>;
  stop(): Promise<void>;
}
