import type { Selectable } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';
import type { LaneName } from '../types.ts';

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
  enabledAt: number;
  enabledBy: string;
  options: DigestOptions;
}

/** How often another process's `/digest on` or `off` is noticed by this one's capture. */
const REFRESH_MS = 3_000;

/**
 * The channels with a digest on, in the log store (listed by the scheduler each tick), with an
 * in-memory set the capture asks about every message without a query.
 */
export interface DigestChannels {
  list(): Promise<DigestChannel[]>;
  get(workspaceId: string, channelId: string): Promise<DigestChannel | undefined>;
  /** Turns a channel's digest on, or changes its schedule and options. */
  put(c: DigestChannel): Promise<void>;
  /** Turns it off and deletes everything captured for it. */
  remove(workspaceId: string, channelId: string): Promise<boolean>;
  /** Whether messages of this channel are captured now (at most 3 s stale for other processes' changes). */
  isOn(workspaceId: string, channelId: string): Promise<boolean>;
}

const keyOf = (ws: string, ch: string) => `${ws}\u0000${ch}`;

export function createDigestChannels(db: LogDb, now: () => number = Date.now): DigestChannels {
  let on: Set<string> | undefined;
  let loadedAt = 0;
  let loading: Promise<Set<string>> | undefined;
  const load = async () => {
    const rows = await db.selectFrom('digest_channels').select(['workspace_id', 'channel_id']).execute();
    on = new Set(rows.map((r) => keyOf(r.workspace_id, r.channel_id)));
    loadedAt = now();
    return on;
  };
  const current = async () => {
    if (on && now() - loadedAt < REFRESH_MS) return on;
    loading ??= load().finally(() => (loading = undefined));
    return loading;
  };
  return {
    async list() {
      const rows = await db.selectFrom('digest_channels').selectAll().orderBy('workspace_id').orderBy('channel_id').execute();
      return rows.map(fromRow);
    },
    async get(ws, ch) {
      const row = await db.selectFrom('digest_channels').selectAll().where('workspace_id', '=', ws).where('channel_id', '=', ch).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async put(c) {
      const row = {
        workspace_id: c.workspaceId,
        channel_id: c.channelId,
        platform: c.platform,
        at_time: c.time,
        timezone: c.timezone,
        enabled_at: c.enabledAt,
        enabled_by: c.enabledBy,
        options: JSON.stringify(c.options),
      };
      await db
        .insertInto('digest_channels')
        .values(row)
        .onConflict((oc) => oc.columns(['workspace_id', 'channel_id']).doUpdateSet({ at_time: row.at_time, timezone: row.timezone, options: row.options }))
        .execute();
      (await current()).add(keyOf(c.workspaceId, c.channelId));
    },
    async remove(ws, ch) {
      const removed = await db.transaction().execute(async (tx) => {
        const r = await tx.deleteFrom('digest_channels').where('workspace_id', '=', ws).where('channel_id', '=', ch).executeTakeFirst();
        await tx.deleteFrom('digest_messages').where('workspace_id', '=', ws).where('channel_id', '=', ch).execute();
        return Number(r.numDeletedRows) > 0;
      });
      (await current()).delete(keyOf(ws, ch));
      return removed;
    },
    async isOn(ws, ch) {
      return (await current()).has(keyOf(ws, ch));
    },
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
  };
}
