import readline from 'node:readline';
import type { TerminalAdapterOptions } from './terminal-options.ts';
import type { ChatAdapter, MessageRef } from '../../../src/chat/chat-adapter.ts';
import { flushOutput } from '../../../src/chat/output-flush.ts';
import { createEchoOutput } from './echo-output.ts';
import { handleLine } from './line-job.ts';
import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';
import { renderTerminalReply } from './render.ts';
import { createPasteGroups, enableBracketedPaste } from './paste-groups.ts';
import { createScreen, type Screen } from './screen.ts';
import { createAnswerRefs, type AnswerRefs } from './answer-refs.ts';
import { FINISHING_NOTE, interrupt } from './interrupt.ts';

export { parseLine } from './parse-line.ts';

export type { TerminalAdapterOptions } from './terminal-options.ts';

/** A channel on standard input: one command per line, each its own concurrent job. */
export interface TerminalAdapter extends ChatAdapter {
  /** Starts reading and resolves when input has ended, every job has answered and the output has taken every answer. */
  run(): Promise<void>;
  /** Stops reading; resolves once every job has answered. */
  stop(): Promise<void>;
  closed(): Promise<void>;
  /** Prints a line (e.g. a log line, to stderr) above the prompt, so it does not garble what is typed. */
  print(text: string, to?: NodeJS.WritableStream): void;
}

const PROMPT = 'hive> ';
const GREETING = 'Hive on the terminal. Try: /ask What is 6 times 7?  ·  /ask --file ./app.log Why does it fail?  ·  /hive help  ·  Ctrl-D to quit';

/** The terminal as a chat platform: one channel (`terminal`) in the `local` workspace; posts are numbered like answers. */
export function createTerminalAdapter(o: TerminalAdapterOptions): TerminalAdapter {
  const st: ReadState = { stopped: false, seq: 0, refs: createAnswerRefs() };
  let running: Promise<void> | undefined;
  const show = (text: string, to = o.output) => (st.screen ? st.screen.show(text, to) : void to.write(text));
  // Log lines go above the prompt while the terminal reads, so they never garble what is typed.
  const begin = () => (running ??= showingLogs(o, show, () => readLines(o, st)));
  return {
    name: 'terminal',
    actions: ACTION_KINDS,
    async start() {
      void begin();
    },
    run: begin,
    closed: () => running ?? Promise.resolve(),
    async stop() {
      st.stopped = true;
      st.rl?.close();
      await running;
    },
    print: show,
    async post(target, reply) {
      const n = ++st.seq;
      show(renderTerminalReply(reply, n));
      return {
        workspaceId: target.workspaceId,
        channelId: target.channelId,
        messageId: String(n),
        ...(target.threadId ? { threadId: target.threadId } : {}),
      } satisfies MessageRef;
    },
    async edit(ref, reply) {
      show(renderTerminalReply(reply, Number(ref.messageId)));
    },
  };
}

/** The reading side's state: the line reader, the screen, and the number of the last answer. */
interface ReadState {
  rl?: readline.Interface;
  screen?: Screen;
  stopped: boolean;
  seq: number;
  /** Each answer's job reference, and the lines still running. */
  refs: AnswerRefs;
}

/** Reads lines until input ends, each its own job; resolves once every job has answered. */
async function readLines(o: TerminalAdapterOptions, st: ReadState): Promise<void> {
  if (st.stopped) return;
  const interactive = o.prompt === true;
  // A closed output (EPIPE) leaves no one to answer, and a failed input (EIO when the terminal goes
  // away) has nothing more to read: either ends intake like EOF instead of crashing the process.
  const onOutputError = (err: unknown) => {
    o.log?.warn({ err }, 'terminal output closed; no more input is read');
    rl.close();
  };
  const rl = readline.createInterface({
    input: o.input,
    terminal: interactive,
    prompt: PROMPT,
    ...(interactive ? { output: createEchoOutput(o.output) } : {}),
  });
  const s = createScreen(o.output, interactive ? rl : undefined, (err) => o.log?.error({ err }, 'could not write to the terminal'));
  Object.assign(st, { rl, screen: s });
  const cancel = { byUser: false };
  const ask = (question: string) => {
    if (cancel.byUser) return s.show(FINISHING_NOTE);
    handleLine(o, s, st.refs, question, ++st.seq);
  };
  o.output.on('error', onOutputError);
  const ended = new Promise<void>((resolve) => rl.once('close', resolve));
  rl.on('error', (err: unknown) => {
    o.log?.warn({ err }, 'terminal input failed; treating it as the end of input');
    rl.close();
  }); // readline re-emits its input's errors
  const lines = interactive ? createPasteGroups({ rl, input: o.input, prompt: PROMPT, ask, reprompt: () => s.prompt() }) : undefined;
  // Ctrl-C in raw mode arrives here, not as a signal: stop reading and let answers finish, saying
  // so; a second Ctrl-C cancels them (each still says what it spent).
  rl.on('SIGINT', () => interrupt({ o, screen: s, refs: st.refs, rl, cancel }));
  rl.on('line', (line) => (lines ? lines.line(line) : ask(line)));
  const pasteMode = interactive ? enableBracketedPaste(o.output) : undefined;
  if (interactive) s.show(GREETING);
  await ended;
  lines?.end(cancel.byUser || st.stopped);
  pasteMode?.off();
  s.close();
  await o.dispatcher.drain();
  // Every answer is written; a pipe may still hold some of them in this process until its reader takes them.
  await flushOutput(o.output);
  o.output.off('error', onOutputError);
}

/** Runs `work` with the process's log lines shown through the terminal, and hands them back after. */
async function showingLogs(o: TerminalAdapterOptions, show: (text: string, to?: NodeJS.WritableStream) => void, work: () => Promise<void>): Promise<void> {
  const stop = o.logView?.show((line) => show(line, process.stderr));
  try {
    await work();
  } finally {
    stop?.();
  }
}
