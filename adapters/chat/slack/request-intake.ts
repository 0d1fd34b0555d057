import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../src/shared/log.ts';
import { isForm, parseSlackBody } from './body-parse.ts';

/**
 * Largest `/slack/events` body read: 1 MiB. Slack's biggest real payloads (a `block_actions` or
 * `view_submission` carrying a full 100-block modal with its state, or a `message_changed` event
 * carrying two 40,000-character messages with their blocks) stay within a few hundred KB, so this
 * leaves more than double that as headroom; a hundred such bodies in flight at once still fit in
 * about 100 MiB of memory. Anything larger is refused with 413 before it is buffered.
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Slack's replay window: stamps older than this, or this far in the future, are refused. */
export const MAX_SKEW_S = 5 * 60;

export interface IntakeOptions {
  signingSecret: string;
  log: Logger;
  /** Wall-clock milliseconds: signature stamps are Slack's real time, whatever clock the listeners run on. */
  now: () => number;
  /** Body size limit in bytes; default {@link SLACK_BODY_LIMIT_BYTES}. */
  bodyLimit?: number;
}

/** A request whose exact bytes carry a valid, fresh Slack signature, parsed into an object. */
export interface VerifiedRequest {
  raw: Buffer;
  timestamp: string;
  body: Record<string, unknown>;
}

/**
 * Reads, verifies and parses one POST to `/slack/events`, in that order and nothing sooner: the
 * size is checked from Content-Length and while reading, the signature headers before the body is
 * read, the HMAC over the raw bytes before any parsing. Every refusal is answered here (413, 401,
 * 400, or 200 for Slack's unsigned `ssl_check`) and yields undefined.
 */
export async function intakeSlackRequest(o: IntakeOptions, req: IncomingMessage, res: ServerResponse): Promise<VerifiedRequest | undefined> {
  const limit = o.bodyLimit ?? SLACK_BODY_LIMIT_BYTES;
  if (declaredTooLarge(req, limit)) return refuse(o.log, res, 413, 'body over the size limit', true);
  const stamp = readStamp(req, o.now() / 1000);
  const signed = req.headers['x-slack-signature'] !== undefined || req.headers['x-slack-request-timestamp'] !== undefined;
  if (!stamp.ok && signed) return refuse(o.log, res, 401, stamp.reason, true);
  const read = await readBody(req, limit);
  if (!read.ok) return read.reason === 'too-large' ? refuse(o.log, res, 413, 'body over the size limit', true) : undefined;
  const contentType = req.headers['content-type'];
  if (!stamp.ok) {
    if (isSslCheck(read.raw, contentType)) return answer(res, 200);
    return refuse(o.log, res, 401, stamp.reason, false);
  }
  if (!signatureMatches(o.signingSecret, stamp, read.raw)) return refuse(o.log, res, 401, 'signature mismatch', false);
  const parsed = parseSlackBody(read.raw, contentType);
  if (!parsed.ok) return refuse(o.log, res, 400, parsed.reason, false);
  if (parsed.body.ssl_check === '1') return answer(res, 200);
  return { raw: read.raw, timestamp: stamp.timestamp, body: parsed.body };
}

/** Slack's certificate check: a form with `ssl_check=1`, sent unsigned; answered 200 and nothing else. */
function isSslCheck(raw: Buffer, contentType: string | undefined): boolean {
  if (!isForm(contentType)) return false;
  const parsed = parseSlackBody(raw, contentType);
  return parsed.ok && parsed.body.ssl_check === '1';
}

/**
 * Answers a refusal with no body and logs why at warn level (never a stack: clients cause these).
 * With `close`, the connection is closed after the response, so an unread body is never drained.
 */
export function refuse(log: Logger, res: ServerResponse, status: number, reason: string, close: boolean): undefined {
  log.warn({ status, reason }, 'Slack request refused');
  return answer(res, status, close);
}

function answer(res: ServerResponse, status: number, close = false): undefined {
  if (res.headersSent) return undefined;
  res.writeHead(status, close ? { connection: 'close' } : {});
  res.end();
  return undefined;
}

/** The declared Content-Length is over the limit: refuse before reading a byte. */
function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const raw = req.headers['content-length'];
  if (raw === undefined) return false;
  const n = Number(raw);
  return !Number.isFinite(n) || n > limit;
}

type BodyRead = { ok: true; raw: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the request body while counting bytes; past `limit` it stops reading at once (the rest is
 * never buffered) and reports `too-large`, so the caller answers 413 and closes the connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
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

type Stamp = { ok: true; timestamp: string; digest: Buffer } | { ok: false; reason: string };

const SIGNATURE = /^v0=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Reads `X-Slack-Signature` and `X-Slack-Request-Timestamp`: exactly one of each, a `v0=` hex
 * digest, and a stamp within ±5 minutes of `nowS`, so stale or future-dated requests cost nothing.
 */
function readStamp(req: IncomingMessage, nowS: number): Stamp {
  const sig = req.headers['x-slack-signature'];
  const ts = req.headers['x-slack-request-timestamp'];
  if (typeof sig !== 'string' || typeof ts !== 'string') return { ok: false, reason: 'missing signature headers' };
  const hex = SIGNATURE.exec(sig)?.[1];
  if (!hex) return { ok: false, reason: 'malformed signature' };
  if (!TIMESTAMP.test(ts)) return { ok: false, reason: 'malformed timestamp' };
  const skew = Number(ts) - nowS;
  if (skew < -MAX_SKEW_S) return { ok: false, reason: 'stale timestamp' };
  if (skew > MAX_SKEW_S) return { ok: false, reason: 'timestamp in the future' };
  return { ok: true, timestamp: ts, digest: Buffer.from(hex, 'hex') };
}

/** HMAC-SHA256 of `v0:{timestamp}:{raw body}` over the exact bytes received, compared in constant time. */
function signatureMatches(secret: string, stamp: { timestamp: string; digest: Buffer }, raw: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${stamp.timestamp}:`).update(raw).digest();
  return expected.length === stamp.digest.length && timingSafeEqual(expected, stamp.digest);
}
