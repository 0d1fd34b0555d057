import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../src/shared/log.ts';
import { isForm, parseSlackBody } from './body-parse.ts';
import { declaredTooLarge, readBody, SLACK_BODY_LIMIT_BYTES } from './request-body.ts';
import { readStamp, signatureMatches } from './signature.ts';

export interface IntakeOptions {
  signingSecret: string;
  log: Logger;
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
  const stamp = readStamp(req, Date.now() / 1000);
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
