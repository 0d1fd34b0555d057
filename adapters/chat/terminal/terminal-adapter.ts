import readline from 'node:readline';
import type { Dispatcher } from '../../../src/dispatch.ts';
import type { Invocation, Reply } from '../../../src/invocation.ts';
import { LOCAL_WORKSPACE } from '../../../src/keys.ts';
import { renderTerminalReply } from './render.ts';

export interface TerminalAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  dispatcher: Dispatcher;
  /** Show a prompt (interactive terminals only). */
  prompt?: boolean;
  user?: string;
}

/** A channel on standard input: one command per line, each its own concurrent job. */
export interface TerminalAdapter {
  /** Resolves when input has ended and every job has answered. */
  run(): Promise<void>;
  stop(): void;
}

export function createTerminalAdapter(o: TerminalAdapterOptions): TerminalAdapter {
  const rl = readline.createInterface({ input: o.input, terminal: false });
  let seq = 0;
  const write = (text: string) => {
    o.output.write(text.endsWith('\n') ? text : `${text}\n`);
    if (o.prompt) o.output.write('hive> ');
  };
  return {
    async run() {
      if (o.prompt) o.output.write('Hive on the terminal. Try: /ask What is 6 times 7?  ·  /hive help  ·  Ctrl-D to quit\nhive> ');
      for await (const line of rl) {
        const inv = toInvocation(line, ++seq, o.user ?? 'operator', write);
        if (inv) void o.dispatcher.handle(inv);
      }
      await o.dispatcher.drain();
    },
    stop() {
      rl.close();
    },
  };
}

/** Parses `/verb text`; a line without a slash is a question for `/ask`. */
export function parseLine(line: string): { command: string; text: string } | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  if (!t.startsWith('/')) return { command: 'ask', text: t };
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(t)!;
  return { command: m[1]!.toLowerCase(), text: m[2]! };
}

function toInvocation(line: string, n: number, user: string, write: (s: string) => void): Invocation | undefined {
  const parsed = parseLine(line);
  if (!parsed) return undefined;
  return {
    platform: 'terminal',
    workspaceId: LOCAL_WORKSPACE,
    channelId: 'terminal',
    userId: user,
    command: parsed.command,
    text: parsed.text,
    isAdmin: async () => true,
    respond: async (reply: Reply) => write(renderTerminalReply(reply, n)),
  };
}
