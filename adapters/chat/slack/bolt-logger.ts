import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../../src/shared/log.ts';

/**
 * Bolt's logger interface over Hive's pino logger, so Bolt and Web API messages go through the same
 * secret scrubbing and level as everything else (pino filters; Bolt's own level is only stored).
 */
export function createBoltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const write = (fn: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    const err = parts.find((p): p is Error => p instanceof Error);
    const text = parts
      .filter((p) => !(p instanceof Error))
      .map(describe)
      .join(' ');
    if (err) log[fn]({ err }, text || err.message);
    else log[fn](text);
  };
  return {
    debug: (...m: unknown[]) => write('debug', m),
    info: (...m: unknown[]) => write('info', m),
    warn: (...m: unknown[]) => write('warn', m),
    error: (...m: unknown[]) => write('error', m),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
