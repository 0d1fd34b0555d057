import { describe, expect, it } from 'vitest';
import type { ModelFile, ModelProvider, ModelRequest, Vendor } from '../../src/shared/provider-spec.ts';
import { fakeFilesTokens, type FakeFileBlock } from '../fakes/fake-vendor.ts';
import { expectVendorError, keyFor, withFake, type ContractContext } from '../contracts/model-provider-support.ts';
import { sampleFiles, sha256 } from './file-fixtures.ts';

/** What a provider's file suite needs: the vendor, how to build the provider, and a model that reads images and PDFs. */
export interface FileBlockContractOptions {
  vendor: Vendor;
  createProvider: (baseUrl: string) => ModelProvider;
  model: string;
}

/** Which names reach the wire: Anthropic titles a document, OpenAI names a file part, Gemini names nothing. */
const NAMED: Record<Vendor, (f: ModelFile) => boolean> = {
  anthropic: (f) => f.kind === 'pdf',
  openai: (f) => f.kind === 'pdf',
  google: () => false,
};

/** Each vendor's words for an image type it does not take, as its 400 says them. */
const REFUSAL: Record<Vendor, string> = {
  anthropic: "image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
  openai: 'You uploaded an unsupported image. Please make sure your image is valid.',
  google: 'Unsupported MIME type: image/bmp',
};

const QUESTION = 'What do these show?';

function request(model: string, files: ModelFile[] | undefined, earlier?: ModelFile[]): ModelRequest {
  return {
    model,
    system: 'You are terse.',
    messages: [
      { role: 'user', content: 'Earlier question', ...(earlier ? { files: earlier } : {}) },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: QUESTION, ...(files ? { files } : {}) },
    ],
    maxTokens: 256,
  };
}

/** What the fake must have recorded for `files` sent with turn `message`: the same bytes, in order. */
function expected(vendor: Vendor, files: ModelFile[], message: number): FakeFileBlock[] {
  return files.map((f) => ({
    kind: f.kind,
    mediaType: f.mediaType,
    bytes: f.data.length,
    sha256: sha256(f.data),
    message,
    ...(NAMED[vendor](f) ? { name: f.name } : {}),
  }));
}

/** The index of the last user turn in the vendor's own message list (OpenAI puts the system prompt first). */
const lastTurn = (vendor: Vendor) => (vendor === 'openai' ? 3 : 2);

async function sendsFiles(ctx: ContractContext, model: string, stream: boolean): Promise<void> {
  const { png, jpeg, pdf } = await sampleFiles();
  await withFake(ctx, {}, async (fake, provider) => {
    const plain = await provider.generate(request(model, undefined), ctx.key, { timeoutMs: 5000, stream });
    const r = await provider.generate(request(model, [png, jpeg, pdf]), ctx.key, { timeoutMs: 5000, stream });
    const seen = fake.requests[1]!;
    expect(seen.stream).toBe(stream);
    expect(seen.files).toEqual(expected(ctx.vendor, [png, jpeg, pdf], lastTurn(ctx.vendor)));
    expect(seen.lastUserText).toBe(QUESTION);
    // The usage Hive reads back is the fake's: the same text plus each file by the fake's rule.
    expect(r.usage.inputTokens - plain.usage.inputTokens).toBe(fakeFilesTokens(seen.files));
    expect(fake.requests[0]!.files).toEqual([]);
  });
}

/**
 * Every provider sends images and PDFs as its vendor's native blocks, byte for byte, streaming or
 * not, bills them as the vendor reports, and surfaces a block the vendor refuses as a
 * non-retryable error in the vendor's own words.
 */
export function runFileBlockContract(opts: FileBlockContractOptions): void {
  const ctx: ContractContext = { vendor: opts.vendor, createProvider: opts.createProvider, key: keyFor(opts.vendor) };
  describe(`file blocks: ${opts.vendor}`, () => {
    it('a PNG, a JPEG and a 3-page PDF arrive as native blocks, byte-identical, in order', () => sendsFiles(ctx, opts.model, false));

    it('the same, streamed', () => sendsFiles(ctx, opts.model, true));

    it('an earlier turn keeps its files with it', async () => {
      const { png, pdf } = await sampleFiles();
      await withFake(ctx, {}, async (fake, provider) => {
        await provider.generate(request(opts.model, [pdf], [png]), ctx.key, { timeoutMs: 5000 });
        const first = lastTurn(ctx.vendor) - 2;
        expect(fake.requests[0]!.files).toEqual([...expected(ctx.vendor, [png], first), ...expected(ctx.vendor, [pdf], lastTurn(ctx.vendor))]);
      });
    });

    it('a block the vendor refuses is a non-retryable bad request carrying the vendor’s message', async () => {
      const { png } = await sampleFiles();
      const bmp: ModelFile = { ...png, mediaType: 'image/bmp', name: 'scan.bmp' };
      await withFake(ctx, {}, async (fake, provider) => {
        for (const stream of [false, true]) {
          const err = await expectVendorError(ctx, provider.generate(request(opts.model, [bmp]), ctx.key, { timeoutMs: 5000, stream }), 'bad_request');
          expect(err.status).toBe(400);
          expect(err.message).toContain(REFUSAL[ctx.vendor]);
        }
        expect(fake.requests.map((q) => q.files)).toEqual([[], []]);
      });
    });
  });
}
