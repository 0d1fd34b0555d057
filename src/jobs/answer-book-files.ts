import type { Sealed, Sealer } from '../keys/crypto.ts';
import type { AttachmentRef } from '../shared/attachment.ts';

/** Binds a job's sealed file descriptions to its row: moved to another job's row, they fail to open. */
const aadOf = (ref: string) => `hive-answer-files:${ref}`;

/**
 * Seals the descriptions of the files a job read, for its answer-book row: a description's `source`
 * may hold a platform's signed download URL (a capability while it lasts), so it is never stored in
 * the clear. No files: nothing to store.
 */
export function sealAnswerFiles(sealer: Sealer, ref: string, files: readonly AttachmentRef[] | undefined): string | null {
  if (!files || files.length === 0) return null;
  return JSON.stringify(sealer.seal(JSON.stringify(files), aadOf(ref)));
}

/** What a row's sealed descriptions opened to: the files, or that they could not be opened. */
export type OpenedAnswerFiles = { attachments: AttachmentRef[] } | { attachmentsLost: true };

/**
 * Opens a row's file descriptions; a row sealed under another master key (or altered) is reported
 * lost rather than thrown, so votes and cancels on its answer still work.
 */
export function openAnswerFiles(sealer: Sealer, ref: string, stored: string): OpenedAnswerFiles {
  try {
    return { attachments: JSON.parse(sealer.open(JSON.parse(stored) as Sealed, aadOf(ref))) as AttachmentRef[] };
  } catch {
    return { attachmentsLost: true };
  }
}
