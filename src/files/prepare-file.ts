import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import type { AttachmentRef } from '../shared/attachment.ts';
import type { SecretScrubber } from '../shared/secrets.ts';
import { identify } from './file-identity.ts';
import { shownName } from './file-words.ts';
import { keyInText } from './key-in-file.ts';
import { readPdf, UnreadablePdf } from './pdf-reader.ts';
import type { PreparedFile } from './prepared-file.ts';
import { decodeText, textMediaType } from './text-content.ts';

/** A file's bytes checked and described, or why it is refused (a sentence for its sharer). */
export type Prepared = { file: PreparedFile } | { refused: string; secret?: boolean };

/**
 * Turns downloaded bytes into a `PreparedFile`: the type from the bytes, image size, PDF pages and
 * text, the hash, and the key check on any text a model would read. Nothing is written anywhere.
 */
export async function prepareFile(ref: AttachmentRef, bytes: Uint8Array, o: { signal?: AbortSignal; secrets?: SecretScrubber }): Promise<Prepared> {
  const base = {
    ref,
    name: shownName(ref.name),
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(ref.earlier ? { earlier: true } : {}),
  };
  const id = await identify(bytes);
  if ('refused' in id) return id;
  if (id.kind === 'image') {
    const size = dimensions(bytes);
    if (!size) return { refused: 'it could not be read as an image (it may be damaged). Save it again as PNG or JPEG and share that.' };
    return { file: { ...base, kind: 'image', mediaType: id.mediaType, ...size, data: bytes } };
  }
  if (id.kind === 'pdf') return preparePdf(base, bytes, o);
  const text = decodeText(bytes);
  if (text === undefined)
    return { refused: 'it is a binary file of a type Hive could not identify. Share it as text, a PDF, or a PNG, JPEG, GIF or WebP image.' };
  const key = keyInText(text, o.secrets);
  if (key) return { refused: key, secret: true };
  return { file: { ...base, kind: 'text', mediaType: textMediaType(text), text } };
}

type Base = Pick<PreparedFile, 'ref' | 'name' | 'bytes' | 'sha256' | 'earlier'>;

async function preparePdf(base: Base, bytes: Uint8Array, o: { signal?: AbortSignal; secrets?: SecretScrubber }): Promise<Prepared> {
  try {
    const pdf = await readPdf(bytes, o.signal ? { signal: o.signal } : {});
    const key = keyInText(pdf.text, o.secrets);
    if (key) return { refused: key, secret: true };
    return { file: { ...base, kind: 'pdf', mediaType: 'application/pdf', pages: pdf.pages, text: pdf.text, textPages: pdf.textPages, data: bytes } };
  } catch (err) {
    if (err instanceof UnreadablePdf) return { refused: err.reason };
    throw err;
  }
}

function dimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
