import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import type { Dispatcher } from '../../src/chat/dispatcher.ts';

const ON = '\u001b[?2004h';
const OFF = '\u001b[?2004l';
const paste = (text: string) => `\u001b[200~${text}\u001b[201~`;
const TRACEBACK = 'Traceback (most recent call last):\r  File "app.py", line 3, in <module>\rValueError: bad input';

/** The terminal adapter as at an interactive terminal (prompt, line editing), over pipes; records what each job was asked. */
function startTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const asked: { command: string; text: string }[] = [];
  const dispatcher: Dispatcher = {
    async handle(inv) {
      asked.push({ command: inv.command, text: inv.text });
      await inv.respond({ text: `answer ${asked.length}`, question: inv.text, visibility: 'channel' });
    },
    drain: async () => {},
  };
  const done = createTerminalAdapter({ input, output, dispatcher, prompt: true }).run();
  const type = async (text: string) => {
    input.write(text);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { input, type, asked, done, output: () => out };
}

describe('pasting several lines at an interactive terminal', () => {
  it('GIVEN a pasted traceback ending with a line break THEN it is one question, asked at once', async () => {
    const t = startTerminal();
    await t.type(paste(`${TRACEBACK}\r`));
    expect(t.asked).toEqual([{ command: 'ask', text: TRACEBACK.replace(/\r/g, '\n') }]);
    t.input.end();
    await t.done;
    expect(t.output()).toMatch(/\[1\] > Traceback \(most recent call last\): File "app\.py", line 3, in <module> ValueError: bad input\nanswer 1\n/);
  });

  it('GIVEN a paste without a final line break THEN it waits on the prompt line, and what is typed after it and Enter complete the one question', async () => {
    const t = startTerminal();
    await t.type(`/ask --deep ${paste(TRACEBACK)}`);
    expect(t.asked).toEqual([]);
    expect(t.output()).toContain('... ');
    await t.type(' why?\r');
    await t.type('next question\r');
    expect(t.asked).toEqual([
      { command: 'ask', text: `--deep ${TRACEBACK.replace(/\r/g, '\n')} why?` },
      { command: 'ask', text: 'next question' },
    ]);
    t.input.end();
    await t.done;
  });

  it('GIVEN a pasted Markdown heading and typed lines THEN the paste is not taken for a comment and typed lines stay one question each', async () => {
    const t = startTerminal();
    await t.type(paste('# Notes\r- one\r- two\r'));
    await t.type('first\rsecond\r');
    expect(t.asked.map((a) => a.text)).toEqual(['# Notes\n- one\n- two', 'first', 'second']);
    t.input.end();
    await t.done;
  });

  it('GIVEN Ctrl-D under a held paste THEN it is asked and answered before the terminal is given back; Ctrl-C drops it', async () => {
    const eof = startTerminal();
    await eof.type(paste('line one\rline two'));
    await eof.type('\u0015\u0004'); // Ctrl-U clears the unfinished line, Ctrl-D on the empty line ends input
    await eof.done;
    expect(eof.asked.map((a) => a.text)).toEqual(['line one']);
    expect(eof.output()).toMatch(/answer 1\n/);

    const cancel = startTerminal();
    await cancel.type(paste('line one\rline two'));
    await cancel.type('\u0003');
    await cancel.done;
    expect(cancel.asked).toEqual([]);
  });

  it('GIVEN the terminal THEN bracketed paste is turned on before the greeting and off when input ends', async () => {
    const t = startTerminal();
    await t.type('hello\r');
    expect(t.output().startsWith(ON)).toBe(true);
    expect(t.output()).not.toContain(OFF);
    t.input.end();
    await t.done;
    expect(t.output().split(ON)).toHaveLength(2);
    expect(t.output().split(OFF)).toHaveLength(2);
    expect(t.output().indexOf(OFF)).toBeGreaterThan(t.output().indexOf('hive> '));
  });
});
