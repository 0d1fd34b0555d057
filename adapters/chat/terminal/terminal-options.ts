import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Logger } from '../../../src/shared/log.ts';
import type { DigestCapture } from '../../../src/chat/capture-event.ts';

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
  /** Where `--file` paths typed here are resolved from; the process's working directory when unset. */
  cwd?: string;
}
