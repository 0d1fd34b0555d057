import { HIDDEN } from './mask.ts';
import { MIN_RUN, type SecretSpan } from './secret-matcher.ts';

/** How one encoding turns characters into bytes: bits per character, and each character's value (-1: not in the alphabet). */
interface Encoding {
  bits: number;
  values: Int8Array;
  /** Fewest characters that can carry `MIN_RUN` bytes. */
  minChars: number;
}

function alphabet(chars: string, extra: Record<string, number> = {}): Int8Array {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < chars.length; i++) values[chars.charCodeAt(i)] = i;
  for (const [c, v] of Object.entries(extra)) values[c.charCodeAt(0)] = v;
  return values;
}

/** Standard and URL-safe base64 in one alphabet, and hex in either case. */
const ENCODINGS: readonly Encoding[] = [
  { bits: 6, values: alphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', { '-': 62, _: 63 }), minChars: Math.ceil((MIN_RUN * 8) / 6) },
  { bits: 4, values: alphabet('0123456789abcdef', { A: 10, B: 11, C: 12, D: 13, E: 14, F: 15 }), minChars: MIN_RUN * 2 },
];

/**
 * Spans of text whose base64 or hex decoding holds a secret or a piece of one (`findDecoded` says
 * where in the decoded bytes). Each run is decoded from every character offset within a group, so a
 * secret is found at any byte alignment inside a larger encoded value (`Basic base64(user:key)`);
 * the characters that carry it are masked. Only printable ASCII is searched (keys and tokens are).
 */
export function findEncoded(text: string, findDecoded: (bytes: string) => SecretSpan[]): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const enc of ENCODINGS) {
    const perGroup = enc.bits === 6 ? 4 : 2;
    for (const [start, end] of runsOf(text, enc)) {
      for (let shift = 0; shift < perGroup && end - start - shift >= enc.minChars; shift++) {
        const from = start + shift;
        decodePrintable(text, from, end, enc, (bytes, firstByte) => {
          for (const s of findDecoded(bytes)) {
            const carried = { start: charAt(from, firstByte + s.start, enc.bits, 'floor'), end: charAt(from, firstByte + s.end, enc.bits, 'ceil') };
            spans.push({ start: carried.start, end: Math.min(end, carried.end), mask: HIDDEN });
          }
        });
      }
    }
  }
  return spans;
}

/** Maximal runs of the encoding's alphabet long enough to carry `MIN_RUN` bytes, as [start, end). */
function runsOf(text: string, enc: Encoding): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const inside = c < 128 && enc.values[c]! >= 0;
    if (inside && start < 0) start = i;
    else if (!inside && start >= 0) {
      if (i - start >= enc.minChars) runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}

/** Where byte `n` of a decoding that began at character `from` begins (rounded down) or ends (rounded up). */
function charAt(from: number, n: number, bits: number, round: 'floor' | 'ceil'): number {
  return from + Math[round]((n * 8) / bits);
}

/**
 * Decodes text[from, to) and hands each stretch of `MIN_RUN`+ printable ASCII bytes to `visit`, with
 * the index of its first byte; most runs (ids, words, numbers) decode to no such stretch.
 */
function decodePrintable(text: string, from: number, to: number, enc: Encoding, visit: (bytes: string, firstByte: number) => void): void {
  let acc = 0;
  let bits = 0;
  let codes: number[] = [];
  let byte = 0;
  let stretchFrom = 0;
  const close = () => {
    if (codes.length >= MIN_RUN) visit(fromCodes(codes), stretchFrom);
    codes = [];
  };
  for (let i = from; i < to; i++) {
    acc = ((acc << enc.bits) | enc.values[text.charCodeAt(i)]!) & 0xffff;
    bits += enc.bits;
    if (bits < 8) continue;
    bits -= 8;
    const b = (acc >> bits) & 0xff;
    if (b >= 0x20 && b < 0x7f) {
      if (codes.length === 0) stretchFrom = byte;
      codes.push(b);
    } else close();
    byte++;
  }
  close();
}

/** A string of char codes, built in slices so a long decoded blob stays within the engine's argument limit. */
function fromCodes(codes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.slice(i, i + 8192));
  return out;
}
