import readline from 'node:readline';
import type { ChatAdapter, MessageRef } from '../../../src/chat/chat-adapter.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { newErrorId } from '../../../src/shared/ids.ts';
import type { Invocation, Reply } from '../../../src/chat/invocation.ts';
import { LOCAL_WORKSPACE } from '../../../src/keys/key-service.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { flushOutput } from '../../../src/chat/output-flush.ts';
import { createEchoOutput } from './echo-output.ts';
import { parseLine } from './parse-line.ts';
import { createPasteGroups, enableBracketedPaste } from './paste-groups.ts';
import { renderTerminalNote, renderTerminalReply } from './render.ts';
import { createScreen, type Screen } from './screen.ts';
import type { DigestCapture } from '../../../src/chat/capture-event.ts';
import { TERMINAL_WORDS } from './conventions.ts';

export { parseLine } from './parse-line.ts';

/** What the terminal needs of the host: only the dispatcher (and, optionally, a log for its own failures). */
export interface TerminalAdapterOptions extends Pick<ChatHost, 'dispatcher' | 'logView'> {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Interactive terminal: line editing, a prompt, answers printed above the line being typed. */
  prompt?: boolean;
  user?: string;
  /** Where failures of the terminal itself are logged (a failed line still gets its reply). */
  log?: Logger;
  /** Where questions typed here go for `/digest now` (kept only while the terminal's digest is on). */
  capture?: DigestCapture;
}

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
const GREETING = 'Hive on the terminal. Try: /ask What is 6 times 7?  ·  /hive help  ·  Ctrl-D to quit';

/** The terminal as a chat platform: one channel (`terminal`) in the `local` workspace; posts are numbered like answers. */
export function createTerminalAdapter(o: TerminalAdapterOptions): TerminalAdapter {
  const st: ReadState = { stopped: false, seq: 0 };
  let running: Promise<void> | undefined;
  const show = (text: string, to = o.output) => (st.screen ? st.screen.show(text, to) : void to.write(text));
  // Log lines go above the prompt while the terminal reads, so they never garble what is typed.
  const begin = () => (running ??= showingLogs(o, show, () => readLines(o, st)));
  return {
    name: 'terminal',
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
  const ask = (question: string) => handleLine(o, s, question, ++st.seq);
  o.output.on('error', onOutputError);
  const ended = new Promise<void>((resolve) => rl.once('close', resolve));
  rl.on('error', (err: unknown) => {
    o.log?.warn({ err }, 'terminal input failed; treating it as the end of input');
    rl.close();
  }); // readline re-emits its input's errors
  const lines = interactive ? createPasteGroups({ rl, input: o.input, prompt: PROMPT, ask, reprompt: () => s.prompt() }) : undefined;
  const cancel = { byUser: false };
  // Ctrl-C in raw mode arrives here, not as a signal: stop reading and let answers finish.
  rl.on('SIGINT', () => {
    cancel.byUser = true;
    rl.close();
  });
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

/** Starts the job for one line; whatever goes wrong becomes that line's reply, never the process's. */
function handleLine(o: TerminalAdapterOptions, screen: Screen, line: string, n: number): void {
  const fail = (err: unknown) => {
    const errorId = newErrorId();
    o.log?.error({ err, errorId }, 'terminal line failed');
    screen.show(`[${n}]\n! Something went wrong on our side (error ${errorId}). The details are in the log.`);
  };
  try {
    const parsed = parseLine(line);
    if (!parsed) return;
    if ('usage' in parsed) return screen.show(renderTerminalReply({ text: parsed.usage, visibility: 'private', tone: 'error' }, n));
    if (parsed.command === 'ask') captureLine(o, parsed.text, n);
    const safely = (print: () => void) => {
      try {
        print();
      } catch (err) {
        fail(err);
      }
    };
    const inv = toInvocation(parsed, n, o.user ?? 'operator', {
      reply: (reply) => safely(() => screen.show(renderTerminalReply(reply, n))),
      note: (text) => safely(() => screen.show(renderTerminalNote(text, n))),
    });
    o.dispatcher.handle(inv).catch(fail);
  } catch (err) {
    fail(err);
  }
}

/** A question typed here is the terminal channel's message, for its digest (commands are not). */
function captureLine(o: TerminalAdapterOptions, text: string, n: number): void {
  const at = Date.now();
  const user = o.user ?? 'operator';
  const message = { workspaceId: LOCAL_WORKSPACE, channelId: 'terminal', messageId: `${at}-${n}`, authorId: user, authorName: user, text, at };
  o.capture?.observe({ kind: 'message', message }).catch((err: unknown) => o.log?.warn({ err }, 'could not keep a line for the digest'));
}

/** Where one line's output goes: its reply, and notes while it runs (waits worth hearing about). */
interface LineOutput {
  reply(r: Reply): void;
  note(text: string): void;
}

function toInvocation(p: { command: string; text: string }, n: number, user: string, out: LineOutput): Invocation {
  return {
    platform: 'terminal',
    words: TERMINAL_WORDS,
    workspaceId: LOCAL_WORKSPACE,
    channelId: 'terminal',
    userId: user,
    command: p.command,
    text: p.text,
    isAdmin: async () => true,
    respond: async (reply: Reply) => out.reply(reply),
    // Only waits are printed: a plan note for every line would drown the answers.
    progress: async (note) => {
      if (note.kind === 'wait') out.note(note.text);
    },
  };
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
