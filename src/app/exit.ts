import { flushOutput } from '../chat/output-flush.ts';

/**
 * Ends the process with `code` once standard output and standard error have delivered what was
 * written to them: a pipe is written asynchronously, and `process.exit` drops whatever is still
 * queued. A reader that went away ends the wait at once; a signal while waiting exits without it.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  const now = () => process.exit(code);
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  await Promise.all([flushOutput(process.stdout), flushOutput(process.stderr)]);
  return process.exit(code);
}
