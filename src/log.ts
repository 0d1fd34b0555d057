import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.ts';
import type { SecretRegistry } from './secrets.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LogLevel;
  secrets: SecretRegistry;
  /** 1 = stdout, 2 = stderr (the terminal adapter keeps stdout for answers). */
  fd?: 1 | 2;
  pretty?: boolean;
  /** Test hook: receive every line after scrubbing. */
  sink?: { write(line: string): void };
}

/** Paths where keys and tokens tend to live in logged objects. */
export const REDACT_PATHS = [
  'apiKey', '*.apiKey', 'api_key', '*.api_key', 'key', '*.key', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', '*.headers.authorization', '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]', '*["x-api-key"]', '*["x-goog-api-key"]', 'botToken', '*.botToken',
];

/** A pino logger whose every output line passes through the secret scrubber. */
export function createLogger(opts: LoggerOptions): Logger {
  const fd = opts.fd ?? 1;
  const out = opts.sink ?? pino.destination({ fd, sync: true });
  const scrubbing = { write: (line: string) => out.write(opts.secrets.scrub(line)) };
  const stream = opts.pretty ? pretty({ destination: scrubbing, colorize: true, sync: true }) : scrubbing;
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: { err: (e: unknown) => serializeError(e, opts.secrets) },
    },
    stream,
  );
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
