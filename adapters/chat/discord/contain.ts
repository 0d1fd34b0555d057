import type { Logger } from '../../../src/shared/log.ts';

/**
 * A listener on discord.js's client that cannot throw into discord.js: the client calls listeners
 * from inside its gateway handling, where a throw ends the process. What it throws is logged.
 */
export function contained<A extends unknown[]>(log: Logger, what: string, listener: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      listener(...args);
    } catch (err) {
      log.warn({ err }, `${what} failed; Hive carries on`);
    }
  };
}
