/** What a flush needs of an output: the stream, and what Node's streams tell of their state. */
type Output = NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };

/**
 * Resolves once everything written to `out` so far has been handed to the operating system, or at
 * once when it can take no more (ended, destroyed, or its reader gone: EPIPE). A pipe to a slow
 * reader is written asynchronously, so an exit before this would drop what is still queued.
 */
export function flushOutput(out: Output): Promise<void> {
  if (out.destroyed === true || out.writableEnded === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    // An error here is the reader going away: nothing more can be delivered, and it is not a crash.
    out.on('error', done);
    out.on('close', done);
    // Writes are delivered in order, so the callback of an empty one runs after every earlier write.
    // A failed write is followed by the stream's 'error' event: the listener stays to take it.
    out.write('', (err?: Error | null) => (err ? resolve() : done()));
  });
}
