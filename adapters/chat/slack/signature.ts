import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Slack's replay window: stamps older than this, or this far in the future, are refused. */
export const MAX_SKEW_S = 5 * 60;

/** The signature headers of a request, checked before its body is read. */
export type Stamp = { ok: true; timestamp: string; digest: Buffer } | { ok: false; reason: string };

const SIGNATURE = /^v0=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Reads `X-Slack-Signature` and `X-Slack-Request-Timestamp`: exactly one of each, a `v0=` hex
 * digest, and a stamp within ±5 minutes of `nowS`, so stale or future-dated requests cost nothing.
 */
export function readStamp(req: IncomingMessage, nowS: number): Stamp {
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
export function signatureMatches(secret: string, stamp: { timestamp: string; digest: Buffer }, raw: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${stamp.timestamp}:`).update(raw).digest();
  return expected.length === stamp.digest.length && timingSafeEqual(expected, stamp.digest);
}
