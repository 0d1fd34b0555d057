import { readFiles } from '../files/read-files.ts';
import { fileEvidence, fileSummary } from '../files/model-input.ts';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../files/prepared-file.ts';
import type { EvidenceFile } from '../evidence/evidence-store.ts';
import { createJobFiles, type JobFiles } from '../routing/job-files.ts';
import type { AttachmentReader, AttachmentRef } from '../shared/attachment.ts';
import { UserError } from '../shared/errors.ts';
import type { SecretScrubber } from '../shared/secrets.ts';

/** The files shared with a request, how to read them, and how much of their text a model may get. */
export interface FilesInput {
  refs: AttachmentRef[];
  /** The platform's reader (its own host, its own token); without one the files cannot be read. */
  read?: AttachmentReader | undefined;
  /** Characters of fenced file text a model may receive: the job's input budget left after the question. */
  maxTextChars: number;
}

/** A job's files once read: for the models, for the footer, and for the evidence record. */
export interface ReadJobFiles {
  files: JobFiles;
  /** `2 files, 3 pages`; undefined when the job has none. */
  summary: string | undefined;
  /** Names, types, sizes and hashes; never content. */
  evidence: EvidenceFile[] | undefined;
}

/** What reading a job's files needs besides the files: the limits, its cancel, the workspace's keys. */
export interface ReadJobFilesOptions {
  limits?: FileLimits | undefined;
  signal?: AbortSignal | undefined;
  secrets?: SecretScrubber | undefined;
}

/**
 * Reads a job's files once, before any spend: every model of the job gets them from here. A file
 * too large, of a refused type, unreadable or carrying a key refuses the whole job (a `UserError`
 * naming each), so no model is called.
 */
export async function readJobFiles(input: FilesInput | undefined, o: ReadJobFilesOptions): Promise<ReadJobFiles> {
  if (!input || input.refs.length === 0) return { files: createJobFiles([], 0), summary: undefined, evidence: undefined };
  if (!input.read) {
    throw new UserError(
      `This request came with ${input.refs.length === 1 ? 'a file' : `${input.refs.length} files`}, but Hive cannot read files shared here. Paste the text into the message instead.`,
      'files_unreadable',
    );
  }
  const read = await readFiles(input.refs, input.read, o.limits ?? DEFAULT_FILE_LIMITS, {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.secrets ? { secrets: o.secrets } : {}),
  });
  return { files: createJobFiles(read, Math.max(0, input.maxTextChars)), summary: fileSummary(read), evidence: fileEvidence(read) };
}
