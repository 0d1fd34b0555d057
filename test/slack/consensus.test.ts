import { afterEach, describe, expect, it } from 'vitest';
import { KEY, TEAM, USER, blockTexts, modelCalls, startHarness, streamChunks, streamedText, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/consensus', () => {
  it('streams the members as tasks, then the verdict, its sections and the footer, under the question in the channel', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const res = await h.slash('--models openai:gpt-6-luna,openai:gpt-6.2-sol What is six times seven?', { command: '/consensus' });
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => h!.slack.of('chat.stopStream').length === 1);
    await h.slack.waitFor(() => h!.slack.of('chat.update').length === 1);
    expect(h.slack.of('chat.update')[0]!.body.ts).toBe(h.slack.of('chat.postMessage')[0]!.result?.ts);
    const [asked] = blockTexts(h.slack.of('chat.update')[0]!.body);
    expect(asked).toBe(`<@${USER}> asked: What is six times seven?`);
    expect(streamedText(h.slack)).toContain('42');
    expect(streamChunks(h.slack).filter((c) => c.type === 'task_update').length).toBeGreaterThanOrEqual(2);
    const [members, footer] = blockTexts(h.slack.of('chat.stopStream')[0]!.body);
    expect(members).toMatch(/^\*Members\*\n• gpt-6-luna \(OpenAI\): answered 42/);
    expect(footer).toContain('gpt-6-luna + gpt-6.2-sol');
    expect(
      modelCalls(h.vendor)
        .map((c) => c.model)
        .sort(),
    ).toEqual(['gpt-6-luna', 'gpt-6.2-sol']);
  });
});
