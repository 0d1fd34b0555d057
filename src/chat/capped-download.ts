import { AttachmentReadError } from '../shared/attachment.ts';

/**
 * Reads a download's body, stopping (and failing `too_large`) as soon as it passes `maxBytes`, so a
 * file host that sends more than it declared never makes Hive hold more than the limit. A body that
 * breaks off part-way is `download_failed`. The bytes come back as a plain `Uint8Array`, never a
 * Node Buffer: PDF.js refuses a Buffer, so a PDF read as one could not be opened.
 */
export async function readCapped(r: Response, name: string, maxBytes: number): Promise<Uint8Array> {
  const reader = r.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let c = await reader.read(); !c.done; c = await reader.read()) {
      size += c.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AttachmentReadError('too_large', name, `over ${maxBytes} bytes`);
      }
      chunks.push(c.value);
    }
  } catch (err) {
    if (err instanceof AttachmentReadError) throw err;
    throw new AttachmentReadError('download_failed', name, 'the download stopped part-way');
  }
  return joined(chunks, size);
}

/** The chunks in one new plain array of `size` bytes. */
function joined(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
