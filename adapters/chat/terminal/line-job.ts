import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';
import type { Invocation, Reply } from '../../../src/chat/invocation.ts';
import { LOCAL_WORKSPACE } from '../../../src/keys/key-service.ts';
import { newErrorId } from '../../../src/shared/ids.ts';
import type { AnswerRefs } from './answer-refs.ts';
import { offersLine } from './answer-refs.ts';
import { TERMINAL_WORDS } from './conventions.ts';
import { parseLine } from './parse-line.ts';
import { renderTerminalNote, renderTerminalReply } from './render.ts';
import type { Screen } from './screen.ts';
import type { TerminalAdapterOptions } from './terminal-options.ts';

/** Starts the job for one line; whatever goes wrong becomes that line's reply, never the process's. */
export function handleLine(o: TerminalAdapterOptions, screen: Screen, refs: AnswerRefs, line: string, n: number): void {
  const fail = (err: unknown) => {
    const errorId = newErrorId();
    o.log?.error({ err, errorId }, 'terminal line failed');
    screen.show(`[${n}]\n! Something went wrong on our side (error ${errorId}). The details are in the log.`);
  };
  try {
    const parsed = parseLine(line);
    if (!parsed) return;
    if ('usage' in parsed) return screen.show(renderTerminalReply({ text: parsed.usage, visibility: 'private', tone: 'error' }, n));
    const job = refs.resolve(parsed);
    if ('refusal' in job) return screen.show(renderTerminalReply({ text: job.refusal, visibility: 'private', tone: 'error' }, n));
    if (job.command === 'ask') captureLine(o, job.text, n);
    const safely = (print: () => void) => {
      try {
        print();
      } catch (err) {
        fail(err);
      }
    };
    const inv = toInvocation(job, n, o.user ?? 'operator', refs, {
      reply: (reply) => safely(() => screen.show(renderTerminalReply(reply, n, offersLine(reply.actions, n)))),
      note: (text) => safely(() => screen.show(renderTerminalNote(text, n))),
    });
    refs.begin(n);
    o.dispatcher
      .handle(inv)
      .catch(fail)
      .finally(() => refs.end(n));
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

function toInvocation(p: { command: string; text: string }, n: number, user: string, refs: AnswerRefs, out: LineOutput): Invocation {
  return {
    platform: 'terminal',
    words: TERMINAL_WORDS,
    workspaceId: LOCAL_WORKSPACE,
    channelId: 'terminal',
    userId: user,
    command: p.command,
    text: p.text,
    actions: ACTION_KINDS,
    isAdmin: async () => true,
    respond: async (reply: Reply) => {
      refs.offered(n, reply.actions);
      out.reply(reply);
    },
    // Only waits are printed: a plan note for every line would drown the answers.
    progress: async (note) => {
      refs.offered(n, note.actions);
      if (note.kind !== 'wait') return;
      const cancel = note.actions?.some((a) => a.kind === 'cancel') ? ` (/cancel ${n} to stop it)` : '';
      out.note(`${note.text}${cancel}`);
    },
  };
}
