import fs from 'node:fs/promises';
import { AttachmentReadError, type AttachmentReader } from '../../../src/shared/attachment.ts';

/**
 * Reads a file the operator named with `--file`: a regular file only (never a device or a pipe),
 * its size checked before reading and again while reading, so no more than `maxBytes` is held.
 */
export const readLocalFile: AttachmentReader = async (ref, o) => {
  // Stat by path first: opening a pipe would wait for a writer, and a device never ends.
  const st = await fs.stat(ref.id).catch((err: unknown) => {
    throw openFailure(err, ref.name);
  });
  if (!st.isFile()) throw new AttachmentReadError('not_found', ref.name, st.isDirectory() ? 'a folder, not a file' : 'not a regular file');
  if (st.size > o.maxBytes) throw new AttachmentReadError('too_large', ref.name);
  const handle = await fs.open(ref.id, 'r').catch((err: unknown) => {
    throw openFailure(err, ref.name);
  });
  try {
    return await readUpTo(handle, ref.name, o.maxBytes, o.signal);
  } finally {
    await handle.close();
  }
};

/** Reads to the end, failing once the file proves larger than `maxBytes` (it may have grown since its stat). */
async function readUpTo(handle: fs.FileHandle, name: string, maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const buf = Buffer.alloc(Math.min(maxBytes + 1, 1024 * 1024));
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buf, 0, buf.length, null);
    if (bytesRead === 0) return new Uint8Array(Buffer.concat(parts, total));
    total += bytesRead;
    if (total > maxBytes) throw new AttachmentReadError('too_large', name);
    parts.push(Buffer.from(buf.subarray(0, bytesRead)));
  }
}

/** Why a path could not be opened, in the reader's terms. */
function openFailure(err: unknown, name: string): AttachmentReadError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new AttachmentReadError('not_found', name, 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return new AttachmentReadError('forbidden', name, 'permission denied');
  if (code === 'EISDIR') return new AttachmentReadError('not_found', name, 'a folder, not a file');
  return new AttachmentReadError('download_failed', name, code ?? 'could not be read');
}
