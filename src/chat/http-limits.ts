import type { ServerOptions } from 'node:http';
import { z } from 'zod';
import { parseVars, type EnvVars } from '../shared/env-fields.ts';

/**
 * How long Hive's HTTP servers (Slack's `/slack/events`, the health endpoints) wait for a client,
 * and how many connections that have not yet delivered a verified request they hold at once: with
 * Node's defaults a silent or slow client keeps a socket for minutes, and thousands of them pin the server.
 */
export interface HttpLimits {
  /** A request's headers must have arrived this long after the connection opened (`HIVE_HTTP_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived within this (`HIVE_HTTP_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: number;
  /** A kept-alive connection with no new request is closed after this (`HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS`). */
  keepAliveTimeoutMs: number;
  /** Connections open at once that have not delivered a verified request (`HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS`); past it the oldest is closed. */
  maxUnverified: number;
}

/**
 * Slack sends a whole request at once and gives up on it after 3 s, so 5 s for the headers and 10 s
 * for the whole request leave room for a slow link and none for a client that trickles. Keep-alive
 * stays at Node's 5 s; behind a load balancer, set it above the balancer's idle timeout.
 */
export const DEFAULT_HTTP_LIMITS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxUnverified: 256,
} as const satisfies HttpLimits;

const ms = (dflt: number) =>
  z.coerce.number({ error: 'must be a whole number of milliseconds' }).int('must be a whole number').min(100).max(600_000).default(dflt);

const HTTP_VARS = {
  HIVE_HTTP_HEADERS_TIMEOUT_MS: ms(DEFAULT_HTTP_LIMITS.headersTimeoutMs),
  HIVE_HTTP_REQUEST_TIMEOUT_MS: ms(DEFAULT_HTTP_LIMITS.requestTimeoutMs),
  HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
  HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_HTTP_LIMITS.maxUnverified),
};

/** Parses `HIVE_HTTP_*`; every problem is pushed naming its variable. */
export function parseHttpLimits(env: EnvVars, problems: string[]): HttpLimits {
  const e = parseVars(env, HTTP_VARS, problems);
  const limits = {
    headersTimeoutMs: e.HIVE_HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HIVE_HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxUnverified: e.HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS,
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    problems.push(
      `HIVE_HTTP_HEADERS_TIMEOUT_MS: must not be longer than HIVE_HTTP_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs} ms), the deadline of the whole request`,
    );
  return limits;
}

/**
 * Node's server options for these deadlines. Node enforces the header and request deadlines on a
 * timer that runs every 30 s by default, so a client could outlive them by that much: it runs here
 * at a quarter of the shorter deadline (at most every second).
 */
export function httpServerOptions(l: HttpLimits): ServerOptions {
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.max(25, Math.floor(l.headersTimeoutMs / 4))),
  };
}
