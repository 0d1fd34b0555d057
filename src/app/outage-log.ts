import type { Logger } from '../shared/log.ts';

/** One warning when work starts waiting for the log database, one line when it answers again. */
export function outageLog(log: Logger, waitMs: number): (state: 'waiting' | 'back', err?: unknown) => void {
  let away = false;
  return (state, err) => {
    if (state === 'waiting' && !away) log.warn({ err, waitMs }, 'the log database is not answering; work waits for it');
    if (state === 'back' && away) log.info('the log database answers again');
    away = state === 'waiting';
  };
}
