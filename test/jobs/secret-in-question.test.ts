import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const answer = () => ({ text: 'forty-two', usage: { input: 10, output: 2 } });
const generates = (hv: Harness) => Object.values(hv.vendors).reduce((n, f) => n + f!.requests.filter((r) => r.model).length, 0);

describe('a key pasted into a question', () => {
  it.each([
    ['the registered OpenAI key', `why does ${CANARY.openai} fail?`],
    ['an unregistered key of a vendor shape', 'is sk-proj-Abcdefghijklmnopqrstuvwx still valid?'],
  ])('GIVEN %s in /ask or /consensus THEN it is refused before any model or record sees it, and the reply does not repeat it', async (_what, question) => {
    h = await startHarness({ vendors: { openai: answer, anthropic: answer, google: answer } });
    for (const command of ['/ask', '/consensus']) {
      const r = await h.run(`${command} ${question}`);
      expect(r.tone).toBe('error');
      expect(r.text).toMatch(/contains what looks like an API key or token, so it was not sent to any model or stored/);
      expect(r.text).not.toMatch(/sk-(canary|proj)/);
    }
    expect(generates(h)).toBe(0);
  });

  it('GIVEN a key in an earlier thread turn THEN the question is answered and the turn goes to the model masked', async () => {
    h = await startHarness({ vendors: { openai: answer } });
    const r = await h.hive.ctx.runner.ask({
      origin: { workspaceId: 'local', channelId: 'C1', userId: 'U1', platform: 'test', command: 'ask' },
      question: 'and now?',
      history: [
        { role: 'user', content: `my key is ${CANARY.openai}` },
        { role: 'assistant', content: 'noted' },
      ],
      route: { model: { vendor: 'openai', model: 'gpt-6-luna' } },
    });
    expect(r.text).toBe('forty-two');
    const sent = JSON.stringify(h.vendors.openai!.requests.find((q) => q.model)!.body);
    expect(sent).not.toContain(CANARY.openai);
    expect(sent).toContain('my key is ');
  });
});
