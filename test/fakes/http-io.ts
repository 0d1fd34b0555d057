import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeBehaviour } from './types.ts';
import type { StreamPlan, WireReply } from './wire.ts';

/** Reads and parses a JSON request body; an empty or invalid body reads as undefined. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True once the client has gone away (aborted, timed out) or the response is done. */
export function isClosed(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded;
}

/** Waits `ms`, ending early if the client disconnects; resolves whether the response is still open. */
export function pause(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!isClosed(res));
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve(!isClosed(res));
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** Writes a whole JSON reply. */
export function sendReply(res: ServerResponse, reply: WireReply, headers: Record<string, string>): void {
  if (isClosed(res)) return;
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers, ...reply.headers });
  res.end(body);
}

/** Writes one frame and waits until it is handed to the socket, so a later cut cannot swallow it. */
function writeFrame(res: ServerResponse, frame: string): Promise<void> {
  return new Promise((resolve) => {
    if (isClosed(res)) return resolve();
    res.write(frame, () => resolve());
  });
}

/** Lets the client read what was sent, then drops the connection mid-stream, as a proxy or crash would. */
async function cut(res: ServerResponse): Promise<void> {
  await pause(res, 15);
  res.socket?.destroy();
}

/** Writes an SSE stream frame by frame, applying the behaviour's delays, cut, corruption or error. */
export async function sendStream(res: ServerResponse, plan: StreamPlan, b: FakeBehaviour, headers: Record<string, string>): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
  for (const frame of plan.head) await writeFrame(res, frame);
  for (let i = 0; i <= plan.chunks.length; i++) {
    if (b.cutAfterChunks !== undefined && i >= b.cutAfterChunks) return cut(res);
    if (b.streamError && i === b.streamError.afterChunks) {
      res.end(plan.error(b.streamError));
      return;
    }
    const frame = plan.chunks[i];
    if (frame === undefined) break;
    await writeFrame(res, frame);
    if (b.malformedChunk && i === 0) await writeFrame(res, plan.malformed);
    if (b.chunkDelayMs && !(await pause(res, b.chunkDelayMs))) return;
  }
  if (isClosed(res)) return;
  for (const frame of plan.tail) await writeFrame(res, frame);
  res.end();
}
