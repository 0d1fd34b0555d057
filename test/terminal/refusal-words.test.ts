import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { readCliArgs } from '../../adapters/cli/cli-args.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

/** What the terminal prints for these lines, over pipes. */
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

describe("the terminal: refusals in the terminal's words", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendors: {} });
  });
  afterAll(async () => h.close());

  it('GIVEN no key THEN the refusal names the CLI for the local workspace and the environment variable, never /hive keys or another lane', async () => {
    const out = await runLines(h, ['/ask --deep why?', '/ask --model openai:gpt-6-luna hi']);
    expect(out).toMatch(/No usable key for the deep lane/);
    expect(out).toContain('`npm run hive -- keys set --workspace local --vendor openai`');
    expect(out).toMatch(/ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY in Hive's environment/);
    expect(out).toMatch(
      /No usable OpenAI key for openai:gpt-6-luna\. An admin can add one with `npm run hive -- keys set --workspace local --vendor openai` at a shell, or OPENAI_API_KEY/,
    );
    expect(out).not.toMatch(/`\/hive keys`|<workspace>|another lane|pick the/);
    for (const [, cli] of out.matchAll(/`npm run hive -- ([^`]+)`/g)) expect(readCliArgs(cli!.split(' '))).toHaveProperty('run');
  });

  it('GIVEN /hive keys THEN it says how to add a key here, not to open a form', async () => {
    const out = await runLines(h, ['/hive keys', '/hive keys list']);
    expect(out).toContain('Add or rotate a key with `npm run hive -- keys set --workspace local --vendor openai`');
    expect(out).toMatch(/No vendor keys yet\. An admin can add one with `npm run hive -- keys set --workspace local/);
    expect(out).not.toContain('`/hive keys`');
  });
});
