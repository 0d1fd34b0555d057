import { MIN_RUN } from '../shared/secret-matcher.ts';
import { applySpans } from '../shared/secret-matcher.ts';
import type { SecretScrubber } from '../shared/secrets.ts';

/** A word longer than this is let through in part while it streams (no secret or encoding of one is this long). */
const MAX_HELD = 2048;
/** Characters of base64 (either alphabet) and hex runs. */
const ENCODED = /[A-Za-z0-9+/_-]/;

/** Streamed text on its way to a live reply, with secrets masked before any of it is shown. */
export interface ScrubbedStream {
  push(delta: string): void;
  /** Lets out what was held back, masked, when the stream ends or breaks off. */
  flush(): void;
}

/**
 * Holds back the last word of streamed text (and at least the last 7 characters) until the next
 * delta shows whether it carries a secret, a piece of one or an encoding of one; a secret split
 * across deltas is masked whole. Text let out is never revised, so nothing before a held span shows
 * anything a later delta would have masked.
 */
export function createScrubbedStream(scrubber: SecretScrubber, emit: (delta: string) => void): ScrubbedStream {
  let pending = '';
  const letOut = (final: boolean) => {
    const spans = scrubber.find(pending);
    let cut = final ? pending.length : holdFrom(pending);
    // A span reaching past the cut may still grow: hold it back whole. Spans are ordered and apart, so one pass does.
    for (const s of spans) if (s.start < cut && s.end > cut) cut = s.start;
    // Nor is an encoded run split: its tail, read without the characters before it, would decode out of step.
    const floor = Math.max(0, pending.length - MAX_HELD);
    while (cut > floor && ENCODED.test(pending[cut - 1]!) && ENCODED.test(pending[cut] ?? ' ')) cut--;
    if (cut === 0) return;
    const out = applySpans(
      pending.slice(0, cut),
      spans.filter((s) => s.end <= cut),
    );
    pending = pending.slice(cut);
    if (out !== '') emit(out);
  };
  return {
    push(delta) {
      if (delta === '') return;
      pending += delta;
      letOut(false);
    },
    flush: () => letOut(true),
  };
}

/** Where the held tail begins: the start of the last word, at most `MIN_RUN - 1` characters from the end, at least `MAX_HELD`. */
function holdFrom(text: string): number {
  let word = text.length;
  while (word > 0 && !/\s/.test(text[word - 1]!)) word--;
  return Math.max(0, text.length - MAX_HELD, Math.min(word, text.length - (MIN_RUN - 1)));
}
