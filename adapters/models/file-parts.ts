import type { ChatMessage, ModelFile } from '../../src/shared/provider-spec.ts';

/** Base64 of a file's bytes as every vendor's native block carries them, read in place (no copy first). */
export function base64Of(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** A `data:` URL of a file, as OpenAI takes images and PDFs inline. */
export function dataUrlOf(f: ModelFile): string {
  return `data:${f.mediaType};base64,${base64Of(f.data)}`;
}

/**
 * The files a turn carries as native blocks: only user turns carry them, so a turn with none
 * (every assistant turn, most user turns) is sent exactly as it always was, as plain text.
 */
export function turnFiles(m: ChatMessage): readonly ModelFile[] {
  return m.role === 'user' ? (m.files ?? []) : [];
}
