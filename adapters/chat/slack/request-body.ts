import type { IncomingMessage } from 'node:http';

/**
 * Largest `/slack/events` body read: 1 MiB. Slack's biggest real payloads (a `block_actions` or
 * `view_submission` carrying a full 100-block modal with its state, or a `message_changed` event
 * carrying two 40,000-character messages with their blocks) stay within a few hundred KB, so this
 * leaves more than double that as headroom; a hundred such bodies in flight at once still fit in
 * about 100 MiB of memory. Anything larger is refused with 413 before it is buffered.
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** A body read whole within the limit, or why it was not. */
export type BodyRead = { ok: true; raw: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/** The declared Content-Length is over the limit: refuse before reading a byte. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const raw = req.headers['content-length'];
  if (raw === undefined) return false;
  const n = Number(raw);
  return !Number.isFinite(n) || n > limit;
}

/**
 * Reads the request body while counting bytes; past `limit` it stops reading at once (the rest is
 * never buffered) and reports `too-large`, so the caller answers 413 and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (r: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onError);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        chunks.length = 0;
        return done({ ok: false, reason: 'too-large' });
      }
      chunks.push(chunk);
    };
    const onEnd = () => done({ ok: true, raw: Buffer.concat(chunks, size) });
    const onError = () => done({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onError);
    // A client that resets mid-body must not become an unhandled stream error.
    req.on('error', onError);
  });
}
