import { AttachmentReadError, type AttachmentReader, type AttachmentRef } from '../shared/attachment.ts';
import { UserError } from '../shared/errors.ts';
import type { SecretScrubber } from '../shared/secrets.ts';
import { formatBytes, shownName } from './file-words.ts';
import { prepareFile } from './prepare-file.ts';
import type { FileLimits, PreparedFile } from './prepared-file.ts';
import { readFailureReason } from './read-failure.ts';

/** How a job reads its files: when to stop, and the keys its question is checked against. */
export interface ReadFilesOptions {
  signal?: AbortSignal;
  /** The workspace's scrubber (`SecretRegistry.forWorkspace`); without it only key shapes are caught. */
  secrets?: SecretScrubber;
}

/** One file, or the request as a whole (no name), and why it cannot be used. */
interface Failure {
  name?: string;
  reason: string;
  /** Set when the file carried a key: the refusal is then the one a pasted key gets. */
  secret?: boolean;
}

/**
 * Reads and checks every file of a job, one after another so no more than the job's limit is ever
 * held. Sizes the platform declared are checked before anything is downloaded. Throws one
 * `UserError` naming every failing file and why, so the job makes no model call.
 */
export async function readFiles(refs: AttachmentRef[], read: AttachmentReader, limits: FileLimits, o: ReadFilesOptions = {}): Promise<PreparedFile[]> {
  const early = declaredFailures(refs, limits);
  if (early.length > 0) throw refusal(early);
  const files: PreparedFile[] = [];
  const failures: Failure[] = [];
  let total = 0;
  for (const ref of refs) {
    o.signal?.throwIfAborted();
    const left = limits.maxJobBytes - total;
    const bytes = await readBytes(ref, read, Math.max(0, Math.min(limits.maxFileBytes, left)), o.signal).catch((err: unknown) => {
      o.signal?.throwIfAborted();
      const byJob = left < limits.maxFileBytes;
      const limit = byJob
        ? { bytes: limits.maxJobBytes, name: 'limit for all the files of one request' }
        : { bytes: limits.maxFileBytes, name: 'limit for one file' };
      failures.push({ name: ref.name, reason: readFailureReason(err, limit.bytes, limit.name) });
      return undefined;
    });
    if (!bytes) continue;
    total += bytes.byteLength;
    const prepared = await prepareFile(ref, bytes, o);
    if ('file' in prepared) files.push(prepared.file);
    else failures.push({ name: ref.name, reason: prepared.refused, ...(prepared.secret ? { secret: true } : {}) });
  }
  if (failures.length > 0) throw refusal(failures);
  return files;
}

/** The reader's bytes, held to `maxBytes` even if the reader does not stop itself. */
async function readBytes(ref: AttachmentRef, read: AttachmentReader, maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
  if (maxBytes <= 0) throw new AttachmentReadError('too_large', ref.name);
  const bytes = await read(ref, signal ? { maxBytes, signal } : { maxBytes });
  if (bytes.byteLength > maxBytes) throw new AttachmentReadError('too_large', ref.name);
  return bytes;
}

/** What the platform's own description already rules out: too many files, a file or the whole too large. */
function declaredFailures(refs: readonly AttachmentRef[], limits: FileLimits): Failure[] {
  const failures: Failure[] = [];
  if (refs.length > limits.maxFiles) {
    failures.push({ reason: `${refs.length} files were shared; Hive reads at most ${limits.maxFiles} for one request. Share fewer files.` });
  }
  for (const ref of refs) {
    if ((ref.size ?? 0) > limits.maxFileBytes) {
      failures.push({
        name: ref.name,
        reason: `it is ${formatBytes(ref.size!)}, over the ${formatBytes(limits.maxFileBytes)} limit for one file. Share a smaller file, or the part that matters.`,
      });
    }
  }
  const declared = refs.reduce((sum, r) => sum + (r.size ?? 0), 0);
  if (declared > limits.maxJobBytes) {
    failures.push({
      reason: `Together the files are ${formatBytes(declared)}, over the ${formatBytes(limits.maxJobBytes)} limit for one request. Share fewer or smaller files.`,
    });
  }
  return failures;
}

/** One message for everything that failed; only a `UserError`'s words reach the person. */
function refusal(failures: readonly Failure[]): UserError {
  const lines = failures.map((f) => (f.name === undefined ? `• ${f.reason}` : `• ${shownName(f.name)}: ${f.reason}`));
  const code = failures.some((f) => f.secret) ? 'secret_in_file' : 'file_refused';
  return new UserError(`Hive could not use the files shared with this request, so nothing was sent to any model.\n${lines.join('\n')}`, code);
}
