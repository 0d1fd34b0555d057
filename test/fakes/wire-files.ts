import { createHash } from 'node:crypto';
import type { FakeFileBlock } from './types.ts';
import type { WireReply } from './wire.ts';

/** The file blocks one request carried, decoded, or the vendor's 400 for the first malformed one. */
export interface FileScan {
  files: FakeFileBlock[];
  refusal?: WireReply;
}

/** A native block as a wire module found it in a request, before decoding. */
export interface FoundBlock {
  kind: FakeFileBlock['kind'];
  mediaType: string;
  /** The base64 text as sent. */
  data: string;
  /** Where the block sits, in the vendor's own path notation (for its error message). */
  path: string;
  /** Index of the turn in the vendor's message list. */
  message: number;
  name?: string;
  /** The media types the vendor takes for this kind of block. */
  allowed: readonly string[];
}

/** Why a block is refused: what the vendors answer with HTTP 400 before any model runs. */
export type BlockProblem = 'bad_base64' | 'unsupported_type';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 (what the SDKs send); anything else reads as undefined, as the vendors refuse it. */
export function decodeBase64(data: string): Buffer | undefined {
  if (data.length === 0 || data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  return Buffer.from(data, 'base64');
}

/**
 * The fake's input-token rule for files, deterministic so a test can predict Hive's cost exactly:
 * every file block counts FILE_BLOCK_TOKENS plus one token per FILE_BYTES_PER_TOKEN decoded bytes,
 * rounded up, on top of the prompt text's estimate. Vendors count by pixels and pages; the fake
 * counts by bytes, which is all a test needs to see the files reach the bill.
 */
export const FILE_BLOCK_TOKENS = 100;
export const FILE_BYTES_PER_TOKEN = 32;

/** Input tokens the fake reports for one decoded file block (see FILE_BLOCK_TOKENS). */
export function fakeFileTokens(f: Pick<FakeFileBlock, 'bytes'>): number {
  return FILE_BLOCK_TOKENS + Math.ceil(f.bytes / FILE_BYTES_PER_TOKEN);
}

/** Input tokens the fake reports for all of a request's file blocks. */
export function fakeFilesTokens(files: readonly Pick<FakeFileBlock, 'bytes'>[]): number {
  return files.reduce((n, f) => n + fakeFileTokens(f), 0);
}

/** Decodes and records every block; the first malformed one becomes the vendor's refusal via `refuse`. */
export function scanBlocks(found: readonly FoundBlock[], refuse: (b: FoundBlock, problem: BlockProblem) => WireReply): FileScan {
  const files: FakeFileBlock[] = [];
  for (const b of found) {
    if (!b.allowed.includes(b.mediaType)) return { files, refusal: refuse(b, 'unsupported_type') };
    const bytes = decodeBase64(b.data);
    if (!bytes) return { files, refusal: refuse(b, 'bad_base64') };
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    files.push({ kind: b.kind, mediaType: b.mediaType, bytes: bytes.length, sha256, message: b.message, ...(b.name === undefined ? {} : { name: b.name }) });
  }
  return { files };
}

/** Splits a `data:<type>;base64,<data>` URL; undefined for anything else (a remote URL the fake never fetches). */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]*);base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1]!, data: m[2]! } : undefined;
}
