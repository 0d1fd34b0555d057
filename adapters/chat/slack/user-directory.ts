import type { webApi } from '@slack/bolt';
import { createAnswerCache } from '../../../src/chat/answer-cache.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Finds people by the name typed after `@`: Slack sends a typed `@bob` as plain text, not as a mention with an id. */
export interface UserDirectory {
  named(client: webApi.WebClient, teamId: string, name: string): Promise<string[]>;
}

export interface UserDirectoryOptions {
  log: Logger;
  /** How long a team's member list is reused (`users.list` is Tier 2: about 20 calls a minute). */
  ttlMs?: number;
  now?: () => number;
}

/** One person and the names Slack shows for them, lower-cased. */
interface Person {
  id: string;
  names: string[];
}

/** `users.list` is read this many pages at most (200 people each); a bigger team is matched on what was read. */
const MAX_PAGES = 50;
const PAGE = 200;

/** Matches the username, display name or real name (case-insensitive), active people only; a failed read matches no one. */
export function createUserDirectory(o: UserDirectoryOptions): UserDirectory {
  const cache = createAnswerCache<Person[]>({ ttlMs: o.ttlMs ?? 5 * 60_000, maxEntries: 100, ...(o.now ? { now: o.now } : {}) });
  return {
    async named(client, teamId, name) {
      let people = cache.get(teamId);
      if (!people) {
        people = await readPeople(client).catch((err: unknown) => {
          o.log.warn({ err, teamId }, 'users.list failed; no user name can be looked up');
          return undefined;
        });
        if (!people) return [];
        cache.set(teamId, people);
      }
      const wanted = name.replace(/^@/, '').toLowerCase();
      return people.filter((p) => p.names.includes(wanted)).map((p) => p.id);
    },
  };
}

async function readPeople(client: webApi.WebClient): Promise<Person[]> {
  const out: Person[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.users.list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const m of res.members ?? []) {
      if (!m.id || m.deleted) continue;
      const names = [m.name, m.profile?.display_name, m.profile?.display_name_normalized, m.real_name, m.profile?.real_name];
      out.push({ id: m.id, names: [...new Set(names.filter((n): n is string => Boolean(n)).map((n) => n.toLowerCase()))] });
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return out;
}
