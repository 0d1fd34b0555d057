import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalAdapter, parseLine } from '../../adapters/chat/terminal/terminal-adapter.ts';
import type { Dispatcher } from '../../src/chat/dispatcher.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

/** Runs lines through the terminal adapter over pipes; resolves with everything it printed. */
async function runLines(dispatcher: Dispatcher, lines: string[], output: NodeJS.WritableStream = new PassThrough()): Promise<string> {
  const input = new PassThrough();
  let out = '';
  if (output instanceof PassThrough) output.on('data', (d: Buffer) => (out += d.toString()));
  const done = createTerminalAdapter({ input, output, dispatcher }).run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return out;
}

describe('parseLine', () => {
  it.each(['/', '/ x', '/   ', '/ ask hi'])('GIVEN %j THEN it is a usage hint, not a crash', (line) => {
    expect(parseLine(line)).toEqual({ usage: expect.stringMatching(/Type a command right after the slash/) });
  });

  it('GIVEN a slash word that cannot be a command THEN the hint names it, escaped and clipped', () => {
    expect(parseLine('//')).toEqual({ usage: expect.stringMatching(/^\/\/ is not a command\./) });
    expect(parseLine('/\u001b[31mred')).toEqual({ usage: expect.stringMatching(/^\/\\x1b\[31mred is not a command/) });
    const long = parseLine(`/${'a'.repeat(200_000)}`) as { usage: string };
    expect(long.usage.length).toBeLessThan(300);
  });

  it('GIVEN ordinary lines THEN commands, questions and blanks parse as before', () => {
    expect(parseLine('/ASK --cheap hi there')).toEqual({ command: 'ask', text: '--cheap hi there' });
    expect(parseLine('/hive')).toEqual({ command: 'hive', text: '' });
    expect(parseLine('what is 2+2?')).toEqual({ command: 'ask', text: 'what is 2+2?' });
    expect(parseLine('   ')).toBeUndefined();
    expect(parseLine('# a comment')).toBeUndefined();
  });
});

describe('the terminal adapter keeps answering', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: '6 × 7 = **42**', usage: { input: 10, output: 5 } }) } });
  });
  afterAll(async () => h.close());

  it('GIVEN `/`, `/ x` and `//` among questions THEN each gets a usage reply and the questions are still answered', async () => {
    const out = await runLines(h.hive.dispatcher, ['/', '/ask What is 6 times 7?', '/ x', '//', '/ask What is 6 times 7?']);
    expect(out.match(/Type a command right after the slash/g)).toHaveLength(3);
    expect(out).toMatch(/\[1\]\n! Type a command/);
    expect(out).toMatch(/\[3\]\n! Type a command/);
    expect(out).toMatch(/\[4\]\n! \/\/ is not a command/);
    expect(out.match(/6 × 7 = 42\n/g)).toHaveLength(2);
  });

  it('GIVEN a job that waits for a rate limit THEN its wait note is printed as a numbered line, and plan notes are not', async () => {
    const dispatcher: Dispatcher = {
      async handle(inv) {
        await inv.progress?.({ text: 'Working on it · cheap lane', kind: 'plan' });
        await inv.progress?.({ text: "Waiting for OpenAI's rate limit, about 12 s…", kind: 'wait' });
        await inv.respond({ text: 'done', visibility: 'channel' });
      },
      drain: async () => {},
    };
    const out = await runLines(dispatcher, ['first']);
    expect(out).toBe("[1] … Waiting for OpenAI's rate limit, about 12 s…\n[1]\ndone\n");
  });

  it('GIVEN a dispatcher that throws or rejects THEN that line gets an error reply with an id and the others go on', async () => {
    const answered: string[] = [];
    const dispatcher: Dispatcher = {
      handle(inv) {
        if (inv.text === 'throw') throw new Error('boom');
        if (inv.text === 'reject') return Promise.reject(new Error('boom'));
        answered.push(inv.text);
        return inv.respond({ text: `echo ${inv.text}`, visibility: 'channel' });
      },
      drain: async () => {},
    };
    const out = await runLines(dispatcher, ['throw', 'reject', 'fine']);
    expect(out).toMatch(/\[1\]\n! Something went wrong on our side \(error E[0-9A-F]{10}\)/);
    expect(out).toMatch(/\[2\]\n! Something went wrong on our side \(error E[0-9A-F]{10}\)/);
    expect(out).toContain('[3]\necho fine');
    expect(answered).toEqual(['fine']);
  });

  it('GIVEN the input fails (EIO) THEN it counts as the end of input: answers already asked for still arrive', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    const done = createTerminalAdapter({ input, output, dispatcher: h.hive.dispatcher }).run();
    input.write('/hive help\n');
    await new Promise((resolve) => setImmediate(resolve));
    input.destroy(Object.assign(new Error('read EIO'), { code: 'EIO' }));
    await done;
    expect(out).toMatch(/^\[1\]\n/);
  });

  it('GIVEN the output closes (EPIPE) THEN reading stops and run() resolves instead of crashing', async () => {
    const broken = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    await expect(runLines(h.hive.dispatcher, ['/hive help', '/hive help'], broken)).resolves.toBe('');
  });
});
