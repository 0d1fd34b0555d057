import type { AttachmentRef } from '../shared/attachment.ts';

/** What a file turned out to be, read from its bytes (never its name). */
export type FileKind = 'image' | 'pdf' | 'text';

/**
 * A shared file after reading and checking, held in memory for one job: what models may receive
 * (bytes or text) and what the books keep (name, type, size, hash; never the content).
 */
export interface PreparedFile {
  /** The platform's description it came from. */
  ref: AttachmentRef;
  name: string;
  kind: FileKind;
  /** The type read from the bytes (`image/png`, `application/pdf`, `text/plain`). */
  mediaType: string;
  bytes: number;
  /** Hex SHA-256 of the bytes, for evidence: the same file can be recognised, its content is not kept. */
  sha256: string;
  /** PDFs: page count. */
  pages?: number;
  /** PDFs: how many of the first pages `text` covers (long PDFs are read for text only so far). */
  textPages?: number;
  /** Images: pixel size, for the vendors' image token rules. */
  width?: number;
  height?: number;
  /** Text files: the decoded text; PDFs: the extracted text, for models that cannot read PDFs natively. */
  text?: string;
  /** Images and PDFs: the bytes, for models that read them natively. */
  data?: Uint8Array;
  /** Shared in an earlier turn of the thread. */
  earlier?: boolean;
}

/** Size limits on files, per file and per job, in bytes; text beyond what fits the context is trimmed. */
export interface FileLimits {
  maxFileBytes: number;
  maxJobBytes: number;
  /** Most files one job reads. */
  maxFiles: number;
}

/** Defaults stated in the README: 20 MB a file, 50 MB a job, 10 files. */
export const DEFAULT_FILE_LIMITS: FileLimits = { maxFileBytes: 20 * 1024 * 1024, maxJobBytes: 50 * 1024 * 1024, maxFiles: 10 };
