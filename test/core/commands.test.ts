import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/invocation.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function runAs(h: Harness, workspaceId: string, command: string, text: string, admin = true): Promise<Reply> {
  return new Promise((resolve) => {
    void h.hive.dispatcher.handle({
      platform: 'test',
      workspaceId,
      channelId: 'C1',
      userId: 'U1',
      command,
      text,
      isAdmin: async () => admin,
      respond: async (r) => resolve(r),
    });
  });
}

describe('commands', () => {
  it('GIVEN an evidence id THEN only the owning workspace can read it, and it holds the prompt, answer and call', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'forty-two', usage: { input: 12, output: 3 } }) } });
    const r = await h.run('/ask --model openai:gpt-6-luna What is 6 times 7?');
    const id = /evidence ([0-9A-Z]{26})/.exec(r.footer!)![1]!;
    const mine = await h.run(`/hive evidence ${id}`);
    expect(mine.visibility).toBe('private');
    expect(mine.text).toMatch(/openai:gpt-6-luna · first · request \S+ · .* · 12→3 tok · \$0\.0000027/);
    expect(mine.text).toContain('What is 6 times 7?');
    expect(mine.text).toContain('forty-two');
    const theirs = await runAs(h, 'slack:T2', 'hive', `evidence ${id}`);
    expect(theirs.text).toBe(
      `Evidence ${id} cannot be shown here. Ask for it in the conversation where its answer was given; the person who asked and workspace admins can see it anywhere.`,
    );
  });

  it('GIVEN the model menu THEN lanes list models with prices and mark which keys are usable', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    const r = await h.run('/hive models');
    expect(r.text).toMatch(/✓ `openai:gpt-6-luna` \(OpenAI\) · \$0\.10\/\$0\.50, cached in \$0\.010/);
    expect(r.text).toMatch(/✗ `anthropic:claude-haiku-4-5` \(Anthropic\) · \$1\.00\/\$5\.00/);
    expect(r.text).toMatch(/also addressable with --model[\s\S]*claude-opus-4-1/);
  });

  it('GIVEN bad input THEN a short usage message and no model call', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    expect((await h.run('/hive frobnicate')).text).toMatch(/Unknown \/hive verb "frobnicate"/);
    expect((await h.run('/ask --cheap --deep x')).text).toMatch(/Pick one lane: --cheap or --deep/);
    expect((await h.run('/ask --model gpt-4o hi')).text).toMatch(/A model is named provider:model \(in --model\)/);
    expect((await h.run('/ask')).text).toMatch(/What is the question\?/);
    expect((await h.run('/hive keys set sk-canary-PASTED-0123456789abcdefghij')).text).toMatch(/never accepted as chat text[\s\S]*rotate it now/);
    expect(h.vendors.openai!.requests.filter((q) => q.model)).toHaveLength(0);
  });

  it('GIVEN a non-admin THEN key, budget and lane changes are refused', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    for (const text of ['keys remove openai', 'budget workspace 5', 'lanes default deep']) {
      const r = await runAs(h, 'local', 'hive', text, false);
      expect(r.tone).toBe('error');
      expect(r.text).toMatch(/Only workspace admins can/);
    }
    expect((await runAs(h, 'local', 'hive', 'keys list', false)).text).toMatch(/OpenAI: ••••ghij · from environment/);
  });
});
