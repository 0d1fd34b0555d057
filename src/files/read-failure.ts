import { AttachmentReadError } from '../shared/attachment.ts';
import { formatBytes, plain } from './file-words.ts';

/**
 * Why a file could not be downloaded, in words its sharer can act on; the platform's own reason
 * (`file_not_found`, `HTTP 403`) is kept when it gave one.
 */
export function readFailureReason(err: unknown, limitBytes: number, limitName: string): string {
  if (!(err instanceof AttachmentReadError)) return 'the download failed. Try again in a moment.';
  const detail = platformDetail(err);
  const why = detail ? ` (${detail})` : '';
  switch (err.code) {
    case 'too_large':
      return `it is larger than the ${formatBytes(limitBytes)} ${limitName}. Share a smaller file, or the part that matters.`;
    case 'not_found':
      return `it could not be found${why}; it may have been deleted. Share it again.`;
    case 'forbidden':
      return `Hive is not allowed to read it${why}. Share it where Hive is a member, or share it again.`;
    case 'download_failed':
      return `the download failed${why}. Try again in a moment.`;
  }
}

/** The reader's detail without the file name its message starts with, clipped to one short line. */
function platformDetail(err: AttachmentReadError): string | undefined {
  const prefix = `${err.fileName}: `;
  const detail = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  const clean = plain(detail).slice(0, 120);
  return clean === '' || clean === err.code ? undefined : clean;
}
