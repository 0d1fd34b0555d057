import { HiveError } from './errors.ts';

/**
 * Files people share with a request, as every layer names them. A platform describes a file; its
 * bytes are read only when a job needs them, from the platform's own file host with the platform's
 * own credentials, and never kept after the job.
 */

/** A file shared with a request (or earlier in its thread), as the platform describes it. */
export interface AttachmentRef {
  /** The platform's id for the file (Slack `F…`, a Discord attachment id, the terminal's path). */
  id: string;
  /** The file's name as shared; shown to people and to models, never used as a path by the core. */
  name: string;
  /** The type the platform or the name claims; never trusted (the type is read from the bytes). */
  declaredType?: string;
  /** Size in bytes as the platform reports it; checked again while reading. */
  size?: number;
  /** Where people can open it (a permalink, a message link); for digests and evidence. */
  link?: string;
  /** Shared in an earlier turn of the thread rather than with this request. */
  earlier?: boolean;
  /**
   * The platform's own facts for reading it again (a file id, a download URL on its own host), opaque
   * to the core and sealed with the job in the queue; its adapter alone reads them.
   */
  source?: Record<string, unknown>;
}

/** How much a read may take, and when to stop. */
export interface AttachmentReadOptions {
  /** Stop and fail with `too_large` past this many bytes, whatever the platform reported. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** Why a file could not be read, in words a chat user can act on. */
export type AttachmentReadFailure = 'too_large' | 'not_found' | 'forbidden' | 'download_failed';

/**
 * Reads a file's bytes from the platform's own file host with the platform's token (never a URL
 * taken from message text). Fails with an `AttachmentReadError`.
 */
export type AttachmentReader = (ref: AttachmentRef, o: AttachmentReadOptions) => Promise<Uint8Array>;

/** A file that could not be read; `code` says why, `retryable` whether trying later may help. */
export class AttachmentReadError extends HiveError {
  declare readonly code: AttachmentReadFailure;
  constructor(
    code: AttachmentReadFailure,
    readonly fileName: string,
    detail?: string,
  ) {
    super(code, `${fileName}: ${detail ?? code}`, { retryable: code === 'download_failed' });
    this.name = 'AttachmentReadError';
  }
}
