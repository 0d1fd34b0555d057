import { describe, expect, it } from 'vitest';
import { createScrubbedStream } from '../../src/keys/scrubbed-stream.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';

const KEY = '3f9c1e0b7a2d4c6e8f1a3b5c7d9e3e5e';
const ANSWER = [
  'Sure. The key you use is ',
  KEY,
  ', and the proxy logged ',
  KEY.slice(0, -5),
  ' with Basic ',
  Buffer.from(`user:${KEY}`).toString('base64'),
  ' in its header.\nAnything else?',
].join('');

/** Every 5-character piece of the key found in the text. */
const pieces = (text: string) => Array.from({ length: KEY.length - 4 }, (_, i) => KEY.slice(i, i + 5)).filter((p) => text.includes(p));

describe('streamed answer text on its way to a live reply', () => {
  it.each([1, 2, 3, 5, 7, 8, 13, 40])(
    'GIVEN deltas of %i characters THEN no shown prefix carries a piece of the key and the whole equals the masked answer',
    (size) => {
      const r = createSecretRegistry();
      r.add(KEY, 'slack:TA');
      const own = r.forWorkspace('slack:TA');
      let shown = '';
      const stream = createScrubbedStream(own, (d) => {
        shown += d;
        expect(pieces(shown)).toEqual([]);
      });
      for (let i = 0; i < ANSWER.length; i += size) stream.push(ANSWER.slice(i, i + size));
      stream.flush();
      expect(shown).toBe(own.scrub(ANSWER));
    },
  );

  it('GIVEN plain prose THEN it flows, holding back only its last word or last 7 characters, whichever is longer', () => {
    const r = createSecretRegistry();
    r.add(KEY, 'slack:TA');
    const shown: string[] = [];
    const stream = createScrubbedStream(r.forWorkspace('slack:TA'), (d) => shown.push(d));
    stream.push('The capital of France is Par');
    expect(shown.join('')).toBe('The capital of France');
    stream.push('is, of course, Paris');
    expect(shown.join('')).toBe('The capital of France is Paris, of course');
    stream.push('.');
    stream.flush();
    expect(shown.join('')).toBe('The capital of France is Paris, of course, Paris.');
  });
});
