import { Cron } from 'croner';
import { UserError } from '../shared/errors.ts';

/** When a channel's digest fires: a local time of day in an IANA time zone. */
export interface DigestTime {
  /** `HH:MM`, 24-hour. */
  time: string;
  timezone: string;
}

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Checks `HH:MM` and the zone (Area/City, as the operating system's time-zone data knows it). */
export function parseDigestTime(time: string, timezone: string): DigestTime {
  const m = HHMM.exec(time);
  if (!m) throw new UserError(`"${time}" is not a time of day: use 24-hour HH:MM, e.g. 09:00 or 17:30.`, 'digest_bad_time');
  if (!isTimeZone(timezone))
    throw new UserError(
      `"${timezone}" is not a time zone: use Area/City as in the tz database, e.g. Europe/Paris, America/New_York or UTC.`,
      'digest_bad_zone',
    );
  return { time: `${m[1]!.padStart(2, '0')}:${m[2]}`, timezone };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** croner, for the time-zone arithmetic (daylight-saving gaps and repeats included). */
function cronOf(t: DigestTime): Cron {
  const [hh, mm] = t.time.split(':');
  return new Cron(`${Number(mm)} ${Number(hh)} * * *`, { timezone: t.timezone, paused: true });
}

/** The latest scheduled instant at or before `now`. */
export function lastOccurrence(t: DigestTime, now: Date): Date {
  const probe = new Date(now.getTime() + 1);
  const [prev] = cronOf(t).previousRuns(1, probe);
  return prev ?? new Date(now.getTime() - 24 * 3_600_000);
}

/** The next scheduled instant after `now`. */
export function nextOccurrence(t: DigestTime, now: Date): Date {
  return cronOf(t).nextRun(now) ?? new Date(now.getTime() + 24 * 3_600_000);
}

/** The calendar day of an instant in a zone, `YYYY-MM-DD`: a digest's identity for its day. */
export function localDay(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** An instant as the channel reads it, e.g. `Tue 1 Dec 09:00 Europe/Paris`. */
export function localTime(at: Date, timezone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return `${f.format(at).replace(',', '')} ${timezone}`;
}

/**
 * A channel's fixed offset after the scheduled minute, up to `spreadMs`: a thousand channels set
 * to 09:00 start over a few minutes instead of in one burst at the vendors.
 */
export function startOffsetMs(workspaceId: string, channelId: string, spreadMs: number): number {
  let h = 2166136261;
  for (const ch of `${workspaceId}|${channelId}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return spreadMs <= 0 ? 0 : h % spreadMs;
}
