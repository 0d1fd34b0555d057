import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { createBarrier, exactCost, isJudge, laneModel, PANEL, startPanel, type Panel } from './harness.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { trimmedContextNote } from '../../src/models/model-rules.ts';
import type { ChatMessage } from '../../src/shared/provider-spec.ts';

let panel: Panel | undefined;
afterEach(async () => {
  await panel?.close();
  panel = undefined;
});

const usage = { input: 120, output: 9 };

describe('/consensus with three vendors that agree', () => {
  it('GIVEN three keys WHEN asked "What is 6 times 7?" THEN all three vendors are asked concurrently, named, agree 3/3, and the total covers every member', async () => {
    const barrier = createBarrier(3, 1500);
    const gotTogether: boolean[] = [];
    const member = (text: string) => async () => {
      gotTogether.push(await barrier.arrive());
      return { text, usage, latencyMs: 15 };
    };
    panel = await startPanel({ anthropic: member('6 times 7 is **42**.'), openai: member('42'), google: member('The answer is 42.') });
    const { reply, out } = await panel.consensus('What is 6 times 7?');

    // Every response waited at the barrier until all three requests had arrived.
    expect(gotTogether).toEqual([true, true, true]);
    for (const model of Object.values(PANEL)) expect(out).toContain(model);
    expect(reply.text).toMatch(/^42\n\n_3\/3 agree_$/);
    const evidenceId = /evidence (\w{26})/.exec(reply.footer ?? '')![1]!;
    const record = await panel.hive.evidence.get(evidenceId, 'local');
    const exact = exactCost('anthropic', PANEL.anthropic, 120, 9) + exactCost('openai', PANEL.openai, 120, 9) + exactCost('google', PANEL.google, 120, 9);
    expect(record!.totalCostUsd!).toBeGreaterThanOrEqual(exact - 1e-12);
    expect(reply.footer).toContain('voted, no synthesis call');
    expect(panel.fakes.anthropic!.requests.some(isJudge)).toBe(false);
  });

  it('GIVEN an agreeing panel THEN each member line shows its model, answer, latency and cost, and evidence keeps every answer in full', async () => {
    const long = 'Yes.';
    panel = await startPanel({
      anthropic: () => ({ text: long, usage }),
      openai: () => ({ text: 'yes', usage }),
      google: () => ({ text: 'Yes, it is.', usage }),
    });
    const { reply } = await panel.consensus('Is 17 prime?');
    const members = reply.sections!.find((s) => s.title === 'Members')!.text;
    expect(members).toContain(`${PANEL.anthropic} (Anthropic): answered Yes · `);
    expect(members).toMatch(/\(Anthropic\): answered Yes · (\d+ ms|\d+\.\d s) · \$\d/); // latency prints as 12 ms or 0.1 s
    expect(members).toContain(`${PANEL.openai} (OpenAI): answered Yes`);
    expect(members).toContain(`${PANEL.google} (Google Gemini): answered Yes`);
    const id = /evidence (\w{26})/.exec(reply.footer!)![1]!;
    const view = await panel.hive.evidence.get(id, 'local');
    const content = view!.content;
    expect(content).not.toBe('expired');
    if (content === 'expired') return;
    expect(content.candidates).toEqual([
      { model: `anthropic:${PANEL.anthropic}`, text: 'Yes.' },
      { model: `openai:${PANEL.openai}`, text: 'yes' },
      { model: `google:${PANEL.google}`, text: 'Yes, it is.' },
    ]);
    expect(view!.details).toMatchObject({ kind: 'consensus', verdict: { method: 'vote', agreement: 'all' } });
    expect(view!.calls).toHaveLength(3);
  });

  it('GIVEN a thread WHEN /consensus runs in it THEN every member receives the earlier turns as context', async () => {
    const seen: string[] = [];
    const script = () => (req: { body: unknown }) => {
      seen.push(JSON.stringify(req.body));
      return { text: '56', usage };
    };
    panel = await startPanel({ anthropic: script(), openai: script(), google: script() });
    const { reply } = await panel.consensus('And 7 times 8?', [
      { role: 'user', content: 'What is 6 times 7?' },
      { role: 'assistant', content: '42' },
    ]);
    expect(reply.text).toContain('3/3 agree');
    expect(seen).toHaveLength(3);
    for (const body of seen) expect(body).toContain('What is 6 times 7?');
  });

  it('GIVEN --models WHEN named THEN exactly those models are asked', async () => {
    panel = await startPanel({ anthropic: () => ({ text: 'B', usage }), openai: () => ({ text: '(B)', usage }), google: () => ({ text: 'B', usage }) });
    const { reply } = await panel.consensus('--models openai:gpt-6-luna,google:gemini-2.5-flash-lite Which option, A or B?');
    expect(panel.fakes.anthropic!.requests).toHaveLength(0);
    expect(panel.fakes.openai!.requests.map((r) => r.model)).toEqual(['gpt-6-luna']);
    expect(panel.fakes.google!.requests.map((r) => r.model)).toEqual(['gemini-2.5-flash-lite']);
    expect(reply.text).toBe('B\n\n_2/2 agree_');
  });

  it('GIVEN --cheap THEN the panel is the cheap lane, one model per vendor', async () => {
    panel = await startPanel({ anthropic: () => ({ text: '3', usage }), openai: () => ({ text: '3', usage }), google: () => ({ text: '3', usage }) });
    const { reply } = await panel.consensus('--cheap How many sides has a triangle?');
    expect(reply.footer).toContain(`${laneModel('anthropic', 'cheap')} + ${laneModel('google', 'cheap')} + ${laneModel('openai', 'cheap')} · cheap (--cheap)`);
  });

  it('GIVEN only one vendor key THEN it explains and answers with that one model', async () => {
    panel = await startPanel({ openai: () => ({ text: 'Paris is the capital of France.', usage }) });
    const { reply } = await panel.consensus('What is the capital of France?');
    expect(reply.tone).not.toBe('error');
    expect(reply.text).toContain('Only OpenAI is available (Anthropic and Google Gemini have no usable key)');
    expect(reply.text).toContain('Paris is the capital of France.');
    expect(reply.text).toContain('one model only — not a consensus');
    expect(reply.footer).toContain('one vendor only');
    expect(panel.fakes.openai!.requests).toHaveLength(1);
  });

  it('GIVEN the terminal adapter WHEN a user types /consensus THEN the rendered output names the models, the agreement and the total', async () => {
    panel = await startPanel({ anthropic: () => ({ text: '42', usage }), openai: () => ({ text: '42', usage }), google: () => ({ text: '42', usage }) });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
    const terminal = createTerminalAdapter({ input, output, dispatcher: panel.hive.dispatcher });
    const running = terminal.run();
    input.end('/consensus What is 6 times 7?\n');
    await running;
    expect(printed).toContain('[1] > What is 6 times 7?\n42\n\n3/3 agree\n');
    for (const model of Object.values(PANEL)) expect(printed).toContain(`- ${model} (`);
    expect(printed).toMatch(/— .* · \$[\d.]+ · .* · evidence \w{26}/);
  });

  it('GIVEN --models and --cheap together THEN it refuses with the usage', async () => {
    panel = await startPanel({ openai: () => ({ text: '1', usage }) });
    const { reply } = await panel.consensus('--cheap --models openai:gpt-6.2-sol x?');
    expect(reply.tone).toBe('error');
    expect(reply.text).toContain('Use either --models or --cheap');
  });

  it('GIVEN a thread longer than the context budget THEN /ask and /consensus footers carry the same trimmed-context note', async () => {
    panel = await startPanel({ openai: () => ({ text: '42', usage }), google: () => ({ text: '42', usage }) });
    // The first two turns alone pass the 8000-token history budget, so both are dropped.
    const context: ChatMessage[] = [
      { role: 'user', content: 'x'.repeat(40_000) },
      { role: 'assistant', content: 'noted' },
      { role: 'user', content: 'and 6x7?' },
      { role: 'assistant', content: '42' },
    ];
    const { reply: together } = await panel.consensus('What is 6 times 7?', context);
    const replies: Reply[] = [];
    const ask: Invocation = {
      platform: 'terminal',
      workspaceId: 'local',
      channelId: 'terminal',
      userId: 'operator',
      command: 'ask',
      text: 'What is 6 times 7?',
      context,
      isAdmin: async () => true,
      respond: async (r) => void replies.push(r),
    };
    await panel.hive.dispatcher.handle(ask);
    expect(together.footer).toContain('context trimmed (2 earlier messages)');
    expect(replies[0]!.footer).toContain('context trimmed (2 earlier messages)');
    expect([trimmedContextNote(0), trimmedContextNote(1), trimmedContextNote(3)]).toEqual([
      undefined,
      'context trimmed (1 earlier message)',
      'context trimmed (3 earlier messages)',
    ]);
  });
});
