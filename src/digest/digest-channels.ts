import type { Selectable } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';
import type { LaneName } from '../shared/types.ts';

/** What a channel chose for its digest beyond the schedule. */
export interface DigestOptions {
  /** The lane the summary calls run on (default cheap). */
  lane?: LaneName;
  /** A `vendor:model` every call is pinned to, instead of a lane. */
  model?: string;
  /** At most this many bullets in the whole digest (default 12). */
  maxBullets?: number;
  /** A quiet day (nothing captured) posts one line, or nothing. */
  quietDays?: 'say' | 'skip';
  /** A monthly cap on this channel's digest spend, in dollars. */
  monthlyBudgetUsd?: number;
}

/** A channel's daily digest: when it fires (local time in an IANA zone) and how. */
export interface DigestChannel {
  platform: string;
  workspaceId: string;
  channelId: string;
  /** `HH:MM`, 24-hour, in `timezone`. */
  time: string;
  timezone: string;
  /** When it was last turned on (again, after an off). */
  enabledAt: number;
  enabledBy: string;
  options: DigestOptions;
  /** When it was turned off, its settings kept for the next `/digest on`; absent while on. */
  offAt?: number;
}

/** How often another process's `/digest on` or `off` is noticed by this one's capture. */
const REFRESH_MS = 3_000;

/**
 * The channels with a digest, in the log store (those on listed by the scheduler each tick), with
 * an in-memory set of those on that the capture asks about every message without a query. A
 * channel turned off keeps its row (schedule and options) until forgotten, and nothing of its
 * messages.
 */
export interface DigestChannels {
  /** The channels whose digest is on. */
  list(): Promise<DigestChannel[]>;
  /** The channel's digest while it is on. */
  get(workspaceId: string, channelId: string): Promise<DigestChannel | undefined>;
  /** The channel's digest on or off, so turning it back on keeps its settings. */
  kept(workspaceId: string, channelId: string): Promise<DigestChannel | undefined>;
  /** Turns a channel's digest on (again), or changes its schedule and options. */
  put(c: DigestChannel): Promise<void>;
  /** Changes the options of a digest that is on; false when it is not (turned off meanwhile). */
  setOptions(workspaceId: string, channelId: string, options: DigestOptions): Promise<boolean>;
  /** Turns it off, keeping its settings, and deletes everything captured for it; false if it was not on. */
  turnOff(workspaceId: string, channelId: string, at: number): Promise<boolean>;
  /** Deletes the channel's digest, settings and captured messages; false if there was none, on or off. */
  forget(workspaceId: string, channelId: string): Promise<boolean>;
  /** Whether messages of this channel are captured now (at most 3 s stale for other processes' changes). */
  isOn(workspaceId: string, channelId: string): Promise<boolean>;
}

const keyOf = (ws: string, ch: string) => `${ws}\u0000${ch}`;

export function createDigestChannels(db: LogDb, now: () => number = Date.now): DigestChannels {
  let on: Set<string> | undefined;
  let loadedAt = 0;
  let loading: Promise<Set<string>> | undefined;
  const load = async () => {
    const rows = await db.selectFrom('digest_channels').select(['workspace_id', 'channel_id']).where('off_at', 'is', null).execute();
    on = new Set(rows.map((r) => keyOf(r.workspace_id, r.channel_id)));
    loadedAt = now();
    return on;
  };
  const current = async () => {
    if (on && now() - loadedAt < REFRESH_MS) return on;
    loading ??= load().finally(() => (loading = undefined));
    return loading;
  };
  const stop = async (ws: string, ch: string, offAt: number | 'forget') => {
    const changed = await stopKeeping(db, ws, ch, offAt);
    (await current()).delete(keyOf(ws, ch));
    return changed;
  };
  const row = (ws: string, ch: string) => db.selectFrom('digest_channels').selectAll().where('workspace_id', '=', ws).where('channel_id', '=', ch);
  return {
    async list() {
      const rows = await db.selectFrom('digest_channels').selectAll().where('off_at', 'is', null).orderBy('workspace_id').orderBy('channel_id').execute();
      return rows.map(fromRow);
    },
    async get(ws, ch) {
      const r = await row(ws, ch).where('off_at', 'is', null).executeTakeFirst();
      return r ? fromRow(r) : undefined;
    },
    async kept(ws, ch) {
      const r = await row(ws, ch).executeTakeFirst();
      return r ? fromRow(r) : undefined;
    },
    async put(c) {
      await db
        .insertInto('digest_channels')
        .values(toRow(c))
        .onConflict((oc) => oc.columns(['workspace_id', 'channel_id']).doUpdateSet(toUpdate(c)))
        .execute();
      (await current()).add(keyOf(c.workspaceId, c.channelId));
    },
    async setOptions(ws, ch, options) {
      const r = await db
        .updateTable('digest_channels')
        .set({ options: JSON.stringify(options) })
        .where('workspace_id', '=', ws)
        .where('channel_id', '=', ch)
        .where('off_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    turnOff: (ws, ch, at) => stop(ws, ch, at),
    forget: (ws, ch) => stop(ws, ch, 'forget'),
    async isOn(ws, ch) {
      return (await current()).has(keyOf(ws, ch));
    },
  };
}

/**
 * Marks a channel's digest off at `offAt` (or deletes it, to forget its settings) and deletes its
 * messages in one transaction, so nothing stays kept for a channel that is off.
 */
async function stopKeeping(db: LogDb, ws: string, ch: string, offAt: number | 'forget'): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const changed =
      offAt === 'forget'
        ? (await tx.deleteFrom('digest_channels').where('workspace_id', '=', ws).where('channel_id', '=', ch).executeTakeFirst()).numDeletedRows
        : (
            await tx
              .updateTable('digest_channels')
              .set({ off_at: offAt })
              .where('workspace_id', '=', ws)
              .where('channel_id', '=', ch)
              .where('off_at', 'is', null)
              .executeTakeFirst()
          ).numUpdatedRows;
    await tx.deleteFrom('digest_messages').where('workspace_id', '=', ws).where('channel_id', '=', ch).execute();
    return Number(changed) > 0;
  });
}

function toRow(c: DigestChannel) {
  return {
    workspace_id: c.workspaceId,
    channel_id: c.channelId,
    platform: c.platform,
    ...toUpdate(c),
  };
}

/** What `put` writes over an existing row: everything but the key, and the digest on again. */
function toUpdate(c: DigestChannel) {
  return {
    at_time: c.time,
    timezone: c.timezone,
    enabled_at: c.enabledAt,
    enabled_by: c.enabledBy,
    options: JSON.stringify(c.options),
    off_at: null,
  };
}

function fromRow(r: Selectable<LogTables['digest_channels']>): DigestChannel {
  return {
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    time: r.at_time,
    timezone: r.timezone,
    enabledAt: Number(r.enabled_at),
    enabledBy: r.enabled_by,
    options: JSON.parse(r.options) as DigestOptions,
    ...(r.off_at === null ? {} : { offAt: Number(r.off_at) }),
  };
}
