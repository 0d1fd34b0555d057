import { setTimeout as sleepFor } from 'node:timers/promises';
import type Keyv from 'keyv';
import type { Logger } from '../../../src/shared/log.ts';

/** Discord lets a bot start one session per 5 s per concurrency bucket. */
const SPACING_MS = 5_000;
/** Logins within an hour that pass with only the spacing: a start, a restart, a lost session. */
const FREE_PER_HOUR = 3;
/** Logins within a day before every further one doubles the wait, however spread out. */
const FREE_PER_DAY = 20;
/** The longest wait between logins: a restart loop then spends about 120 a day at most. */
const MAX_WAIT_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What Discord's `GET /gateway/bot` said about the day's session starts. */
export interface SessionStartLimit {
  remaining: number;
  total: number;
  resetAfterMs: number;
}

/**
 * Paces gateway logins (IDENTIFY) from a record of recent ones kept in the store, shared by
 * every process of the bot: Discord resets a bot's token after 1,000 in a day, and a process that
 * crashes on start under a supervisor would otherwise spend them in minutes. Resumed sessions
 * never come here; only logins that start a new session do.
 */
export interface IdentifyBudget {
  /** discord.js's identify-throttler hook: resolves when this shard may send IDENTIFY. */
  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void>;
}

export interface IdentifyBudgetOptions {
  kv: Keyv<number[]>;
  /** The bot the record belongs to (its application id). */
  botId: string;
  log: Logger;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Discord's own count, read before each login. */
  sessionStarts?: () => Promise<SessionStartLimit>;
  /** Told before a wait, so a login deadline can make room for it. */
  onWait?: (ms: number) => void;
}

/** How long to wait before the next login, given the logins of the last day (oldest first). */
export function identifyDelay(history: readonly number[], now: number): number {
  const last = history.at(-1);
  if (last === undefined) return 0;
  const inHour = history.filter((t) => t > now - HOUR_MS).length;
  const inDay = history.filter((t) => t > now - DAY_MS).length;
  const extra = Math.max(inHour - FREE_PER_HOUR, inDay - FREE_PER_DAY) + 1;
  const gap = extra <= 0 ? SPACING_MS : Math.min(MAX_WAIT_MS, SPACING_MS * 2 ** extra);
  return Math.max(0, last + gap - now);
}

/** Creates the store-backed pacing of this bot's gateway logins. */
export function createIdentifyBudget(o: IdentifyBudgetOptions): IdentifyBudget {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number, signal: AbortSignal) => sleepFor(ms, undefined, { signal }));
  const key = `identify:${o.botId}`;
  let queue: Promise<void> = Promise.resolve();
  const recent = async () => ((await o.kv.get(key).catch(() => undefined)) ?? []).filter((t) => t > now() - DAY_MS);

  async function turn(signal: AbortSignal): Promise<void> {
    const history = await recent();
    const wait = identifyDelay(history, now());
    if (wait > SPACING_MS) {
      const inHour = history.filter((t) => t > now() - HOUR_MS).length;
      o.log.warn(
        { loginsLastHour: inHour, loginsLastDay: history.length, waitMs: wait },
        `Discord: ${inHour} gateway logins in the last hour; waiting ${Math.ceil(wait / 1000)} s before the next, to stay far under Discord's 1,000 a day (is Hive restarting in a loop? the log above says why it stopped)`,
      );
    }
    if (wait > 0) {
      o.onWait?.(wait);
      await sleep(wait, signal);
    }
    await warnIfScarce(o);
    // Read again: during the wait another process of the bot may have logged in and recorded it.
    await o.kv.set(key, [...(await recent()), now()].slice(-1000), DAY_MS).catch((err: unknown) => {
      o.log.warn({ err }, 'could not record a Discord gateway login');
    });
  }

  return {
    waitForIdentify(_shardId, signal) {
      const mine = queue.then(() => turn(signal));
      queue = mine.catch(() => undefined);
      return mine;
    },
  };
}

/** Warns while Discord's own count of the day's sessions is low (at 0 discord.js refuses to log in). */
async function warnIfScarce(o: IdentifyBudgetOptions): Promise<void> {
  const limit = await o.sessionStarts?.().catch(() => undefined);
  if (!limit || limit.remaining > Math.max(10, limit.total / 10)) return;
  const resets = new Date((o.now ?? Date.now)() + limit.resetAfterMs).toISOString();
  o.log.warn(
    { remaining: limit.remaining, total: limit.total, resetsAt: resets },
    `Discord: only ${limit.remaining} of ${limit.total} gateway sessions are left today (resets ${resets}); at 0 Discord resets the bot token`,
  );
}
