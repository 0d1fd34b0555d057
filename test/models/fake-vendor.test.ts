import { afterEach, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { goDuration, protoDuration, rfc3339After } from '../fakes/wire-util.ts';

const open: FakeVendor[] = [];
async function start(...args: Parameters<typeof startFakeVendor>): Promise<FakeVendor> {
  const fake = await startFakeVendor(...args);
  open.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

const post = (url: string, headers: Record<string, string>, body: unknown, signal?: AbortSignal) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: signal ?? null });

describe('fake vendor server', () => {
  it('counts requests in flight and the peak', async () => {
    const fake = await start({ vendor: 'openai', respond: () => ({ latencyMs: 40 }) });
    const body = { model: 'gpt-6-luna', messages: [{ role: 'user', content: 'hi' }] };
    await Promise.all([1, 2, 3].map(() => post(`${fake.url}/chat/completions`, { authorization: 'Bearer k' }, body)));
    expect(fake.maxInFlight).toBe(3);
    await until(() => fake.inFlight() === 0);
    expect(fake.inFlight()).toBe(0);
  });

  it('releases a hanging request when the client aborts', async () => {
    const fake = await start({ vendor: 'google', respond: () => ({ hang: true }) });
    const ac = new AbortController();
    const call = post(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, { 'x-goog-api-key': 'k' }, {}, ac.signal);
    await until(() => fake.inFlight() === 1);
    ac.abort();
    await expect(call).rejects.toThrow();
    await until(() => fake.inFlight() === 0);
    expect(fake.inFlight()).toBe(0);
  });

  it('takes the Anthropic key from x-api-key or Bearer and answers a bad one with the real 401 body', async () => {
    const fake = await start({ vendor: 'anthropic', validKeys: ['good'] });
    const body = { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
    expect((await post(`${fake.url}/v1/messages`, { 'x-api-key': 'good' }, body)).status).toBe(200);
    expect((await post(`${fake.url}/v1/messages`, { authorization: 'Bearer good' }, body)).status).toBe(200);
    const bad = await post(`${fake.url}/v1/messages`, { 'x-api-key': 'nope' }, body);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('request-id')).toMatch(/^req_/);
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });

  it('ends OpenAI streams with a usage chunk with empty choices, then [DONE]', async () => {
    const fake = await start({ vendor: 'openai' });
    const res = await post(`${fake.url}/chat/completions`, { authorization: 'Bearer k' }, { model: 'm', stream: true, messages: [] });
    const frames = (await res.text()).trim().split('\n\n');
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(frames.at(-2)?.slice(6) ?? '')).toMatchObject({ choices: [], usage: { prompt_tokens: 1 } });
  });

  it('frames Gemini SSE with CRLF pairs and puts usage and finishReason in the last frame', async () => {
    const fake = await start({ vendor: 'google', respond: () => ({ text: 'a b' }) });
    const res = await post(`${fake.url}/v1beta/models/g:streamGenerateContent?alt=sse`, { 'x-goog-api-key': 'k' }, {});
    const frames = (await res.text()).split('\r\n\r\n').filter(Boolean);
    expect(frames).toHaveLength(3);
    expect(JSON.parse(frames[2]?.slice(6) ?? '')).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { candidatesTokenCount: 1 } });
  });

  it('answers unknown routes with the vendor error shape', async () => {
    const fake = await start({ vendor: 'google' });
    const res = await fetch(`${fake.url}/v1beta/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });
});

describe('fake wire formatting', () => {
  it.each([
    [120, '120ms'],
    [1500, '1.5s'],
    [360_000, '6m0s'],
    [3_723_500, '1h2m3.5s'],
  ])('goDuration(%i) is %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });

  it('formats RetryInfo and RFC 3339 resets like the vendors', () => {
    expect(protoDuration(7000)).toBe('7s');
    expect(protoDuration(1500)).toBe('1.5s');
    expect(rfc3339After(Date.parse('2025-01-01T00:00:00.200Z'), 1000)).toBe('2025-01-01T00:00:02Z');
  });
});
