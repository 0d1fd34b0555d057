import { afterEach, describe, expect, it } from 'vitest';
import { KEY, TEAM, USER, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/consensus', () => {
  it('posts the verdict, its sections and the footer in the channel', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const res = await h.slash('--models openai:gpt-6-luna,openai:gpt-6.2-sol What is six times seven?', { command: '/consensus' });
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    const [asked, verdict, members, footer] = blockTexts(h.slack.of('chat.postMessage')[0]!.body);
    expect(asked).toBe(`<@${USER}> asked: What is six times seven?`);
    expect(verdict).toContain('42');
    expect(members).toMatch(/^\*Members\*\n• gpt-6-luna \(OpenAI\): answered 42/);
    expect(footer).toContain('gpt-6-luna + gpt-6.2-sol');
    expect(
      modelCalls(h.vendor)
        .map((c) => c.model)
        .sort(),
    ).toEqual(['gpt-6-luna', 'gpt-6.2-sol']);
  });
});
