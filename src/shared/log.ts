import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { escapeControlChars } from './control-chars.ts';
import type { SecretRegistry } from './secrets.ts';

/** How much Hive logs (`LOG_LEVEL`). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LogLevel;
  secrets: SecretRegistry;
  /** 1 = stdout, 2 = stderr (the terminal adapter keeps stdout for answers). */
  fd?: 1 | 2;
  /** Human-readable coloured lines (for a terminal) instead of JSON lines. */
  pretty?: boolean;
  /** Test hook: receive every line after scrubbing. */
  sink?: { write(line: string): void };
}

/** Paths where keys and tokens tend to live in logged objects. */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'key',
  '*.key',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
  '*["x-api-key"]',
  '*["x-goog-api-key"]',
  'botToken',
  '*.botToken',
];

/** A pino logger whose every output line, JSON or pretty, passes through the secret scrubber. */
export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.sink ?? pino.destination({ fd: opts.fd ?? 1, sync: true });
  const format = opts.pretty ? prettyLine(opts.secrets) : (line: string) => line;
  // Pretty lines scrub each decoded string first (a secret JSON escapes is whole there), then the formatted line.
  const scrubbing = { write: (line: string) => void out.write(opts.secrets.scrub(format(line))) };
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: { err: (e: unknown) => serializeError(e, opts.secrets) },
    },
    scrubbing,
  );
}

/**
 * Formats one JSON line for a person at a terminal. pino-pretty's formatter is used directly, so the
 * line stays a string in our hands and is scrubbed after formatting too (its stream form needs a
 * real stream as destination). Logged strings are made inert so they cannot drive the terminal.
 */
function prettyLine(secrets: SecretRegistry): (line: string) => string {
  const colorize = !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  const pretty = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  return (line) => {
    try {
      return pretty(inert(JSON.parse(line) as unknown, secrets));
    } catch {
      return escapeControlChars(line);
    }
  };
}

/** Scrubs every decoded string (a secret with quotes or backslashes is escaped in JSON) and disarms controls. */
function inert(v: unknown, secrets: SecretRegistry): unknown {
  if (typeof v === 'string') return escapeControlChars(secrets.scrub(v));
  if (Array.isArray(v)) return v.map((x) => inert(x, secrets));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [inert(k, secrets), inert(x, secrets)]));
  return v;
}

/** Keeps what an operator needs from an error and drops SDK request config, headers and bodies. */
export function serializeError(e: unknown, secrets: SecretRegistry, depth = 0): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: secrets.scrub(String(e)) };
  const fields: Record<string, unknown> = { type: e.name, message: secrets.scrub(e.message) };
  for (const k of ['code', 'kind', 'vendor', 'status', 'requestId', 'retryable', 'retryAfterMs', 'errorId'] as const) {
    const v = (e as unknown as Record<string, unknown>)[k];
    if (v !== undefined && (typeof v !== 'object' || v === null)) fields[k] = typeof v === 'string' ? secrets.scrub(v) : v;
  }
  if (e.stack) fields.stack = secrets.scrub(e.stack);
  if (e.cause !== undefined && depth < 3) fields.cause = serializeError(e.cause, secrets, depth + 1);
  return fields;
}
