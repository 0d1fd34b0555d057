import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../src/shared/log.ts';
import { httpBase } from './permalink.ts';

/** After `auth.test` could not say a team's address, its permalinks are left out this long before one more try. */
export const TEAM_URL_RETRY_MS = 10 * 60_000;

/** The call that names a team's address; the listener's client, which carries that team's bot token. */
export type AuthTester = Pick<webApi.WebClient, 'auth'>;

/**
 * Each team's web address (`auth.test` `url`, e.g. `https://acme.slack.com/`), asked once per team
 * and kept, so permalinks cost no call per message. Concurrent first messages share the one call.
 */
export interface TeamUrls {
  /** The team's address, or undefined when Slack did not give one (then links are left out). */
  urlOf(teamId: string, client: AuthTester): Promise<string | undefined>;
}

/** Where look-up failures are logged, the clock the retry wait is measured on, and that wait. */
export interface TeamUrlsOptions {
  log: Logger;
  now: () => number;
  retryMs?: number;
}

interface Entry {
  url: Promise<string | undefined>;
  /** Asked again after this time (never, once an address is known). */
  until: number;
}

/** Team addresses cached in memory for the process's life; a failed look-up waits {@link TEAM_URL_RETRY_MS}. */
export function createTeamUrls(o: TeamUrlsOptions): TeamUrls {
  const entries = new Map<string, Entry>();
  const retryMs = o.retryMs ?? TEAM_URL_RETRY_MS;
  return {
    urlOf(teamId, client) {
      const hit = entries.get(teamId);
      if (hit && o.now() < hit.until) return hit.url;
      const url = lookUp(client, teamId, o.log);
      const entry: Entry = { url, until: Number.POSITIVE_INFINITY };
      entries.set(teamId, entry);
      void url.then((u) => {
        if (u === undefined) entry.until = o.now() + retryMs;
      });
      return url;
    },
  };
}

async function lookUp(client: AuthTester, teamId: string, log: Logger): Promise<string | undefined> {
  try {
    const res = await client.auth.test();
    const url = typeof res.url === 'string' && httpBase(res.url) ? res.url : undefined;
    if (!url) log.warn({ teamId }, 'auth.test gave no team URL; digest permalinks are left out for this team');
    return url;
  } catch (err) {
    log.warn({ err, teamId }, 'auth.test failed; digest permalinks are left out for this team for now');
    return undefined;
  }
}
