import { describe, expect, it } from 'vitest';
import { toAnthropicParams } from '../../adapters/models/anthropic-map.ts';
import { toGoogleParams } from '../../adapters/models/google-map.ts';
import { toOpenAIParams } from '../../adapters/models/openai-map.ts';
import { createPriceCatalogue } from '../../src/models/price-catalogue.ts';
import type { ModelFile, ModelRequest } from '../../src/shared/provider-spec.ts';

const catalogue = createPriceCatalogue();
const png: ModelFile = { kind: 'image', mediaType: 'image/png', name: 'shot.png', data: new Uint8Array([137, 80, 78, 71]) };
const pdf: ModelFile = { kind: 'pdf', mediaType: 'application/pdf', name: 'spec.pdf', data: new Uint8Array([37, 80, 68, 70]) };
const b64 = (f: ModelFile) => Buffer.from(f.data).toString('base64');

const plain: ModelRequest = {
  model: 'm',
  messages: [
    { role: 'user', content: 'first' },
    { role: 'assistant', content: 'answer' },
    { role: 'user', content: 'What is shown?' },
  ],
  maxTokens: 100,
};
const withFiles = (model: string): ModelRequest => ({
  ...plain,
  model,
  messages: [...plain.messages.slice(0, 2), { role: 'user', content: 'What is shown?', files: [png, pdf] }],
});

describe('files become native blocks before the turn’s text', () => {
  it('Anthropic: an image block and a titled PDF document, then the text', () => {
    const p = toAnthropicParams(catalogue, withFiles('claude-sonnet-4-6'));
    expect(p.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64(png) } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64(pdf) }, title: 'spec.pdf' },
        { type: 'text', text: 'What is shown?' },
      ],
    });
  });

  it('OpenAI: an image_url data URL at detail high and a file part with filename and file_data', () => {
    const p = toOpenAIParams(catalogue, withFiles('gpt-6-luna'));
    expect(p.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(png)}`, detail: 'high' } },
        { type: 'file', file: { filename: 'spec.pdf', file_data: `data:application/pdf;base64,${b64(pdf)}` } },
        { type: 'text', text: 'What is shown?' },
      ],
    });
  });

  it('Gemini: inlineData parts, then the text part', () => {
    const p = toGoogleParams(catalogue, withFiles('gemini-2.5-flash'), new AbortController().signal);
    expect((p.contents as unknown[]).at(-1)).toEqual({
      role: 'user',
      parts: [
        { inlineData: { mimeType: 'image/png', data: b64(png) } },
        { inlineData: { mimeType: 'application/pdf', data: b64(pdf) } },
        { text: 'What is shown?' },
      ],
    });
  });

  it('a conversation without files is sent exactly as before (plain strings, one text part)', () => {
    expect(toAnthropicParams(catalogue, { ...plain, model: 'claude-sonnet-4-6' }).messages).toEqual(
      plain.messages.map((m) => ({ role: m.role, content: m.content })),
    );
    expect(toOpenAIParams(catalogue, { ...plain, model: 'gpt-4o' }).messages).toEqual(plain.messages.map((m) => ({ role: m.role, content: m.content })));
    const g = toGoogleParams(catalogue, { ...plain, model: 'gemini-2.5-flash' }, new AbortController().signal);
    expect(g.contents).toEqual(plain.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })));
  });

  it('files on an assistant turn are never sent; a file-only user turn carries no empty text', () => {
    const req: ModelRequest = {
      ...plain,
      messages: [
        { role: 'user', content: '', files: [png] },
        { role: 'assistant', content: 'seen', files: [pdf] },
        { role: 'user', content: 'and?' },
      ],
    };
    const a = toAnthropicParams(catalogue, { ...req, model: 'claude-sonnet-4-6' });
    expect(a.messages[0]!.content).toHaveLength(1);
    expect(a.messages[1]!.content).toBe('seen');
    const o = toOpenAIParams(catalogue, { ...req, model: 'gpt-4o' });
    expect(o.messages[1]).toEqual({ role: 'assistant', content: 'seen' });
  });
});
