import { describe, expect, it } from 'vitest';
import { VendorError } from '../../src/shared/errors.ts';
import type { ModelRequest } from '../../src/shared/provider-spec.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { createProvider, type ProviderParts, type VendorAnswer } from '../../adapters/models/provider-skeleton.ts';

// The skeleton's own duties, with a vendor half that is plain data (no SDK involved); the SDK-backed
// providers built on it run the shared contract suite against fake vendors in the other files here.
const req: ModelRequest = { model: 'm-1', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 };
const answer = (text: string): VendorAnswer => ({
  text,
  usage: { ...ZERO_USAGE, outputTokens: 1 },
  finishReason: { unified: 'stop', raw: 'end' },
  rawUsage: { out: 1 },
});

function parts(seen: { key: string; timeoutMs: number }[], streamingAtRead: boolean[]): ProviderParts<{ key: string }, string[]> {
  return {
    vendor: 'openai',
    makeClient: (key, timeoutMs) => (seen.push({ key, timeoutMs }), { key }),
    describe: (err) => (err instanceof Error && err.message === 'refused' ? { status: 401, message: 'bad key' } : undefined),
    send: async (ai) => {
      if (ai.key === 'sk-bad-0123456789abcdef') throw new Error('refused');
      return answer(`json for ${ai.key.slice(0, 5)}`);
    },
    stream: {
      open: async () => ['a', 'b'],
      read: async (frames, text, state) => {
        streamingAtRead.push(state.streaming);
        for (const f of frames) text.push(f);
        return answer(text.text());
      },
    },
    list: async () => ['m-1', 'm-2'],
  };
}

describe('the provider skeleton every vendor fills in', () => {
  it('GIVEN calls with different keys THEN each gets its own client with that key and deadline, and key checks default to 15 s', async () => {
    const seen: { key: string; timeoutMs: number }[] = [];
    const p = createProvider(parts(seen, []));
    const one = await p.generate(req, 'sk-one-0123456789abcdef', { timeoutMs: 900 });
    await p.generate(req, 'sk-two-0123456789abcdef', { timeoutMs: 800 });
    expect(await p.listModels('sk-three-0123456789abcdef')).toEqual(['m-1', 'm-2']);
    expect(seen).toEqual([
      { key: 'sk-one-0123456789abcdef', timeoutMs: 900 },
      { key: 'sk-two-0123456789abcdef', timeoutMs: 800 },
      { key: 'sk-three-0123456789abcdef', timeoutMs: 15_000 },
    ]);
    expect(one).toMatchObject({ vendor: 'openai', model: 'm-1', text: 'json for sk-on' });
    expect(one.latencyMs).toBeGreaterThanOrEqual(0);
    expect(one.firstTokenMs).toBeUndefined();
  });

  it('GIVEN a streamed call THEN the stream counts as started before it is read, deltas reach onText in order and the first one is timed', async () => {
    const streamingAtRead: boolean[] = [];
    const deltas: string[] = [];
    const r = await createProvider(parts([], streamingAtRead)).generate(req, 'sk-one-0123456789abcdef', {
      timeoutMs: 900,
      stream: true,
      onText: (d) => deltas.push(d),
    });
    expect(streamingAtRead).toEqual([true]);
    expect(deltas).toEqual(['a', 'b']);
    expect(r).toMatchObject({ vendor: 'openai', model: 'm-1', text: 'ab' });
    expect(r.firstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('GIVEN the vendor refuses THEN the failure is a classified VendorError that never carries the key', async () => {
    const err = await createProvider(parts([], []))
      .generate(req, 'sk-bad-0123456789abcdef', { timeoutMs: 900 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect(err).toMatchObject({ vendor: 'openai', kind: 'auth', status: 401 });
    expect(JSON.stringify(err) + String(err)).not.toContain('sk-bad-0123456789abcdef');
  });
});
