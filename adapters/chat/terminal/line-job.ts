import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';
import type { Invocation, Reply } from '../../../src/chat/invocation.ts';
import type { AttachmentRef } from '../../../src/shared/attachment.ts';
import { LOCAL_WORKSPACE } from '../../../src/keys/key-service.ts';
import { newErrorId } from '../../../src/shared/ids.ts';
import type { AnswerRefs } from './answer-refs.ts';
import { offersLine } from './answer-refs.ts';
import { TERMINAL_WORDS } from './conventions.ts';
import { FILE_COMMANDS, takeFileArgs } from './file-args.ts';
import { readLocalFile } from './local-files.ts';
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
    const resolved = refs.resolve(parsed);
    const job = 'refusal' in resolved ? resolved : withFiles(resolved, o.cwd ?? process.cwd());
    if ('refusal' in job) return screen.show(renderTerminalReply({ text: job.refusal, visibility: 'private', tone: 'error' }, n));
    if (job.command === 'ask') captureLine(o, job.text, n);
    const safely = (print: () => void) => {
      try {
        print();
      } catch (err) {
        fail(err);
      }
    };
    const slow = { timer: undefined as NodeJS.Timeout | undefined };
    const inv = toInvocation(job, n, o.user ?? 'operator', refs, {
      reply: (reply) => safely(() => screen.show(renderTerminalReply(reply, n, offersLine(reply.actions, n)))),
      note: (text) => safely(() => screen.show(renderTerminalNote(text, n))),
      // A plan is not worth a line, unless the job is still at it a while later: then it says how to stop it.
      later: (text) => {
        clearTimeout(slow.timer);
        slow.timer = setTimeout(() => safely(() => screen.show(renderTerminalNote(text, n))), STILL_WORKING_MS);
      },
    });
    refs.begin(n);
    o.dispatcher
      .handle(inv)
      .catch(fail)
      .finally(() => {
        clearTimeout(slow.timer);
        refs.end(n);
      });
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
  /** A note shown only if the line is still running after `STILL_WORKING_MS`. */
  later(text: string): void;
}

/** How long a job runs before the terminal says what it is doing and how to cancel it. */
export const STILL_WORKING_MS = 3_000;

/** A line's job: its command and text, and the files its `--file` flags named (taken out of the text). */
interface LineJob {
  command: string;
  text: string;
  files: AttachmentRef[];
}

/** `/ask` and `/consensus` take `--file` paths here, so the core never sees a path; other commands keep their text. */
function withFiles(p: { command: string; text: string }, cwd: string): LineJob | { refusal: string } {
  if (!FILE_COMMANDS.has(p.command)) return { ...p, files: [] };
  const taken = takeFileArgs(p.text, cwd);
  return 'refusal' in taken ? taken : { command: p.command, text: taken.text, files: taken.files };
}

function toInvocation(p: LineJob, n: number, user: string, refs: AnswerRefs, out: LineOutput): Invocation {
  return {
    platform: 'terminal',
    words: TERMINAL_WORDS,
    workspaceId: LOCAL_WORKSPACE,
    channelId: 'terminal',
    userId: user,
    command: p.command,
    text: p.text,
    actions: ACTION_KINDS,
    ...(p.files.length > 0 ? { attachments: p.files, readAttachment: readLocalFile } : {}),
    isAdmin: async () => true,
    respond: async (reply: Reply) => {
      refs.offered(n, reply.actions);
      out.reply(reply);
    },
    // Waits are printed; a plan only when its job is slow: a note for every line would drown the answers.
    progress: async (note) => {
      refs.offered(n, note.actions);
      const cancel = note.actions?.some((a) => a.kind === 'cancel') ? ` (/cancel ${n} to stop it)` : '';
      if (note.kind === 'wait') out.note(`${note.text}${cancel}`);
      else if (note.kind === 'plan' && cancel !== '') out.later(`${note.text}${cancel}`);
    },
  };
}
