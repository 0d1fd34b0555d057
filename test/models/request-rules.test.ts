import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import type { ModelRequest } from '../../src/shared/provider-spec.ts';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';

const KEY = 'sk-test-rules-0123456789abcdef';
let fake: FakeVendor | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const req = (model: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model,
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'What is 6 times 7?' }],
  maxTokens: 200_000,
  ...extra,
});
const body = (f: FakeVendor) => f.requests.at(-1)!.body as Record<string, unknown>;

describe('the fakes reject what the vendors reject (so a provider regression fails a test)', () => {
  it('Claude 5.x: temperature and an assistant prefill get HTTP 400 with Anthropic\u2019s error body', async () => {
    fake = await startFakeVendor({ vendor: 'anthropic' });
    const ai = new Anthropic({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
    const user = { role: 'user' as const, content: 'hi' };
    // The SDK's types no longer list sampling parameters for these models; the wire still carries them.
    const withTemperature = (model: string) => ({ model, max_tokens: 10, messages: [user], temperature: 0.2 });
    const temp = await ai.messages.create(withTemperature('claude-haiku-5-5')).catch((e: unknown) => e);
    expect(temp).toBeInstanceOf(Anthropic.BadRequestError);
    expect((temp as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const prefill = await ai.messages
      .create({ model: 'claude-opus-5-5', max_tokens: 10, messages: [user, { role: 'assistant', content: 'The answer is' }] })
      .catch((e: unknown) => e);
    expect(prefill).toBeInstanceOf(Anthropic.BadRequestError);
    // Older models still accept both.
    await expect(ai.messages.create(withTemperature('claude-sonnet-4-6'))).resolves.toBeDefined();
  });

  it('GPT-6: temperature with an effort other than none, and effort none on gpt-6.2-sol, get HTTP 400', async () => {
    fake = await startFakeVendor({ vendor: 'openai' });
    const ai = new OpenAI({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const temp = await ai.chat.completions.create({ model: 'gpt-6-luna', messages, temperature: 0.2 }).catch((e: unknown) => e);
    expect(temp).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'temperature' });
    await expect(ai.chat.completions.create({ model: 'gpt-6-luna', messages, temperature: 0.2, reasoning_effort: 'none' })).resolves.toBeDefined();
    const none = await ai.chat.completions.create({ model: 'gpt-6.2-sol', messages, reasoning_effort: 'none' }).catch((e: unknown) => e);
    expect(none).toMatchObject({ status: 400, code: 'unsupported_value', param: 'reasoning_effort' });
  });
});

describe('providers send a model only what it accepts', () => {
  it('Claude 5.x never receives temperature or a prefill; its effort goes in output_config; max_tokens is capped', async () => {
    fake = await startFakeVendor({ vendor: 'anthropic' });
    const p = createAnthropicProvider({ baseUrl: fake.url });
    const prefill = {
      messages: [
        { role: 'user' as const, content: 'hi' },
        { role: 'assistant' as const, content: 'Sure:' },
      ],
    };
    const r = await p.generate(req('claude-opus-5-5@high', { temperature: 0.2, ...prefill }), KEY, { timeoutMs: 5000 });
    expect(r.model).toBe('claude-opus-5-5@high');
    const b = body(fake);
    expect(b).not.toHaveProperty('temperature');
    expect(b).toMatchObject({ model: 'claude-opus-5-5', output_config: { effort: 'high' }, max_tokens: 128_000 });
    expect((b['messages'] as { role: string }[]).map((m) => m.role)).toEqual(['user']);
    // A Claude 4 model keeps what it accepts.
    await p.generate(req('claude-sonnet-4-6', { temperature: 0.2 }), KEY, { timeoutMs: 5000 });
    expect(body(fake)).toMatchObject({ temperature: 0.2 });
    expect(body(fake)).not.toHaveProperty('output_config');
  });

  it('GPT-6 gets temperature only at effort none, GPT-6.2 never; effort goes as reasoning_effort', async () => {
    fake = await startFakeVendor({ vendor: 'openai' });
    const p = createOpenAIProvider({ baseUrl: fake.url });
    await p.generate(req('gpt-6-luna', { temperature: 0.3 }), KEY, { timeoutMs: 5000 });
    expect(body(fake)).not.toHaveProperty('temperature');
    expect(body(fake)).toMatchObject({ model: 'gpt-6-luna', max_completion_tokens: 128_000 });
    await p.generate(req('gpt-6-luna@none', { temperature: 0.3 }), KEY, { timeoutMs: 5000 });
    expect(body(fake)).toMatchObject({ model: 'gpt-6-luna', reasoning_effort: 'none', temperature: 0.3 });
    await p.generate(req('gpt-6.2-sol@high', { temperature: 0.3 }), KEY, { timeoutMs: 5000 });
    expect(body(fake)).toMatchObject({ model: 'gpt-6.2-sol', reasoning_effort: 'high' });
    expect(body(fake)).not.toHaveProperty('temperature');
    // An effort the model refuses (none on 6.2) is never sent.
    await p.generate(req('gpt-6.2-sol@none'), KEY, { timeoutMs: 5000 });
    expect(body(fake)).not.toHaveProperty('reasoning_effort');
  });

  it('Gemini 3.x gets its effort as a thinking level', async () => {
    fake = await startFakeVendor({ vendor: 'google' });
    const p = createGoogleProvider({ baseUrl: fake.url });
    await p.generate(req('gemini-3.1-pro-preview@high'), KEY, { timeoutMs: 5000 });
    expect(fake.requests.at(-1)!.model).toBe('gemini-3.1-pro-preview');
    expect(body(fake)).toMatchObject({ generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' }, maxOutputTokens: 65_536 } });
  });
});
