import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

/** Runs lines through the terminal adapter over pipes; resolves with everything it printed. */
async function runLines(h: Harness, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const done = createTerminalAdapter({ input, output, dispatcher: h.hive.dispatcher }).run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return out;
}

describe('the terminal user is the operator', () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'forty-two', usage: { input: 10, output: 5 } }) } });
    // Someone else's answer, in a conversation the terminal is not.
    const r = await h.run('/ask --model openai:gpt-6-luna the private question', { userId: 'U-someone', channelId: 'C-private' });
    id = /evidence ([0-9A-Z]{26})/.exec(r.footer!)![1]!;
  });
  afterAll(async () => h.close());

  it('sees any evidence of its workspace and spend by user and channel', async () => {
    const out = await runLines(h, [`/hive evidence ${id}`]);
    expect(out).toContain('the private question');
    const usage = await runLines(h, ['/hive usage']);
    expect(usage).toMatch(/By user[\s\S]*U-someone[\s\S]*By channel[\s\S]*C-private/);
  });
});
