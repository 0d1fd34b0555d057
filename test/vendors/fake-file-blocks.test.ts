import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFileTokens, startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { estimateTokens } from '../fakes/wire-util.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { makePng, sha256 } from './file-fixtures.ts';

const KEY = fakeSecret('sk-', 'files-fakeTEST0123456789abcdef');
const PNG = makePng(8, 8);
const B64 = Buffer.from(PNG).toString('base64');
let fake: FakeVendor | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function anthropicWith(block: Anthropic.ContentBlockParam): Promise<unknown> {
  fake = await startFakeVendor({ vendor: 'anthropic' });
  const ai = new Anthropic({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
  return ai.messages
    .create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: [block, { type: 'text', text: 'hi' }] }] })
    .catch((e: unknown) => e);
}

async function openaiWith(part: OpenAI.ChatCompletionContentPart): Promise<unknown> {
  fake = await startFakeVendor({ vendor: 'openai' });
  const ai = new OpenAI({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
  return ai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: [part, { type: 'text', text: 'hi' }] }] }).catch((e: unknown) => e);
}

async function geminiWith(mimeType: string, data: string): Promise<unknown> {
  fake = await startFakeVendor({ vendor: 'google' });
  const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });
  const contents = [{ role: 'user', parts: [{ inlineData: { mimeType, data } }, { text: 'hi' }] }];
  return ai.models.generateContent({ model: 'gemini-2.5-flash', contents }).catch((e: unknown) => e);
}

describe('the fakes record each file block, decoded, and count it in the usage they report', () => {
  it('Anthropic: kind, media type, size, SHA-256 and the document title; input = text estimate + file rule', async () => {
    const r = (await anthropicWith({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: B64 } })) as Anthropic.Message;
    expect(fake!.requests[0]!.files).toEqual([{ kind: 'image', mediaType: 'image/png', bytes: PNG.length, sha256: sha256(PNG), message: 0 }]);
    expect(r.usage.input_tokens).toBe(estimateTokens('hi') + fakeFileTokens({ bytes: PNG.length }));
  });

  it('Gemini: inlineData parts are decoded and counted, and their base64 is not prompt text', async () => {
    const r = (await geminiWith('image/png', B64)) as { usageMetadata?: { promptTokenCount?: number } };
    expect(fake!.requests[0]!.files).toEqual([{ kind: 'image', mediaType: 'image/png', bytes: PNG.length, sha256: sha256(PNG), message: 0 }]);
    expect(r.usageMetadata?.promptTokenCount).toBe(estimateTokens('hi') + fakeFileTokens({ bytes: PNG.length }));
  });
});

describe('the fakes refuse malformed blocks with the vendor’s own 400', () => {
  it('Anthropic: bad base64 and an unsupported media type', async () => {
    const bad = await anthropicWith({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'not base64!' } });
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages.0.content.0.image.source.base64.data: The image data is not valid base64' },
    });
    await fake!.close();
    const bmp = { type: 'base64', media_type: 'image/bmp', data: B64 } as unknown as Anthropic.Base64ImageSource;
    const type = await anthropicWith({ type: 'image', source: bmp });
    expect((type as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      error: { message: "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'" },
    });
  });

  it('OpenAI: an unsupported image, and a file part whose data is not a PDF', async () => {
    const img = await openaiWith({ type: 'image_url', image_url: { url: `data:image/bmp;base64,${B64}` } });
    expect(img).toBeInstanceOf(OpenAI.BadRequestError);
    expect((img as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('invalid_image_format');
    await fake!.close();
    const file = await openaiWith({ type: 'file', file: { filename: 'x.pdf', file_data: `data:image/png;base64,${B64}` } });
    expect((file as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      message: expect.stringContaining("but got unsupported MIME type 'image/png'") as unknown,
      param: 'messages[0].content[0].file.file_data',
      code: 'invalid_value',
    });
    await fake!.close();
    const b64 = await openaiWith({ type: 'image_url', image_url: { url: 'data:image/png;base64,%%%' } });
    expect((b64 as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('invalid base64 encoding');
    expect(fake!.requests[0]!.files).toEqual([]);
  });

  it('Gemini: base64 decoding failed, and an unsupported MIME type', async () => {
    const bad = await geminiWith('image/png', 'not base64!');
    expect(bad).toBeInstanceOf(ApiError);
    expect((bad as ApiError).status).toBe(400);
    expect((bad as ApiError).message).toContain("Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES), Base64 decoding failed");
    await fake!.close();
    const type = await geminiWith('image/bmp', B64);
    expect((type as ApiError).message).toContain('Unsupported MIME type: image/bmp');
  });
});
