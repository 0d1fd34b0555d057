import type { PolicyChoice, RoutingDefault } from './routing-policy.ts';
import type Keyv from 'keyv';
import { DEFAULT_LANES } from '../models/default-lanes.ts';
import { createKeyedMutex } from '../store/mutex.ts';
import type { LaneName, ModelRef } from '../shared/types.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { LANES, parseModelRef } from '../shared/types.ts';
import type { VendorLimits } from '../pacing/pacer-limits.ts';

/** Monthly caps in USD; a missing cap is no cap. */
export interface BudgetSettings {
  workspaceUsd?: number;
  channels?: Record<string, number>;
  users?: Record<string, number>;
  /** Cap for any channel without its own. */
  perChannelUsd?: number;
  /** Cap for any user without their own. */
  perUserUsd?: number;
}

/** What a workspace's admins have chosen; everything optional, defaults apply. */
export interface WorkspaceSettings {
  lanes?: Partial<Record<LaneName, string[]>>;
  defaultLane?: LaneName;
  channelLanes?: Record<string, LaneName>;
  /** How jobs without a lane flag are routed when no default lane is set (unset: the rules). */
  routingPolicy?: PolicyChoice;
  /** The same, per channel, over the workspace's. */
  channelPolicies?: Record<string, PolicyChoice>;
  budgets?: BudgetSettings;
  /** Jobs whose worst-case cost passes this ask for confirmation first. */
  confirmAboveUsd?: number;
  vendorLimits?: Partial<Record<Vendor, Partial<VendorLimits>>>;
  /** `provider:model` that writes consensus verdicts; unset: a balanced model of a vendor that answered. */
  consensusJudge?: string;
  /** Which messages in Hive's threads are questions: all (the default) or only those that mention Hive. */
  threadReplies?: ThreadReplies;
  /** The same, per channel, over the workspace's. */
  channelThreadReplies?: Record<string, ThreadReplies>;
  /** Who may turn a channel's digest on, off or change it: admins (the default) or any member of the channel. */
  digestWho?: 'admins' | 'members';
  /** The zone `/digest on HH:MM` means when none is given (default UTC). */
  digestTimezone?: string;
}

/** `all`: every message in a thread Hive answered in is a question; `mentions`: only those that @mention it. */
export type ThreadReplies = 'all' | 'mentions';

/** The policy for a channel: its own setting, else the workspace's, else `all`. */
export function threadRepliesFor(s: WorkspaceSettings, channelId: string): ThreadReplies {
  return s.channelThreadReplies?.[channelId] ?? s.threadReplies ?? 'all';
}

/**
 * The channel's own setting (a lane or a policy), else the workspace's, else none (the rules).
 * A scope holds one or the other: setting a lane there clears its policy, and the reverse.
 */
export function routingDefaultOf(s: WorkspaceSettings, channelId: string): RoutingDefault | undefined {
  const lane = s.channelLanes?.[channelId];
  if (lane) return { scope: 'channel', lane };
  const policy = s.channelPolicies?.[channelId];
  if (policy) return { scope: 'channel', policy };
  if (s.defaultLane) return { scope: 'workspace', lane: s.defaultLane };
  return s.routingPolicy ? { scope: 'workspace', policy: s.routingPolicy } : undefined;
}

export type LaneTable = Readonly<Record<LaneName, readonly ModelRef[]>>;

/** Per-workspace settings, cached in memory so hot paths (lane limits) read them synchronously. */
export interface SettingsService {
  get(ws: string): Promise<WorkspaceSettings>;
  /** The last loaded value; `get` first to load. */
  cached(ws: string): WorkspaceSettings | undefined;
  update(ws: string, change: (s: WorkspaceSettings) => WorkspaceSettings | void): Promise<WorkspaceSettings>;
  lanes(ws: string): Promise<LaneTable>;
}

/**
 * How long settings are served from memory before they are read again. An update through this
 * service takes effect at once; one made by another process sharing the store is seen within this bound.
 */
export const SETTINGS_CACHE_TTL_MS = 3000;

interface Cached {
  at: number;
  value: WorkspaceSettings;
  lanes: LaneTable;
}

/** Creates the settings service; `clockMs` measures the cache's age (tests pass a fake clock). */
export function createSettings(store: Keyv<WorkspaceSettings>, clockMs: () => number = Date.now): SettingsService {
  const cache = new Map<string, Cached>();
  const loading = new Map<string, Promise<Cached>>();
  const mutex = createKeyedMutex();
  let version = 0;
  const remember = (ws: string, value: WorkspaceSettings, at: number): Cached => {
    const entry = { at, value, lanes: resolveLanes(value.lanes) };
    cache.set(ws, entry);
    return entry;
  };
  const load = (ws: string): Promise<Cached> => {
    const busy = loading.get(ws);
    if (busy) return busy;
    const at = clockMs();
    const seen = version;
    // A read that an update overtook keeps the update's value, not the older one it read.
    const p = store
      .get(ws)
      .then((s) => (version === seen ? remember(ws, s ?? {}, at) : (cache.get(ws) ?? remember(ws, s ?? {}, at))))
      .finally(() => loading.delete(ws));
    loading.set(ws, p);
    return p;
  };
  const entry = (ws: string): Cached | Promise<Cached> => {
    const hit = cache.get(ws);
    const t = clockMs();
    return hit && t - hit.at < SETTINGS_CACHE_TTL_MS && t >= hit.at ? hit : load(ws);
  };
  return {
    async get(ws) {
      return (await entry(ws)).value;
    },
    cached: (ws) => cache.get(ws)?.value,
    update(ws, change) {
      return mutex.run(ws, async () => {
        const current = structuredClone((await store.get(ws)) ?? {});
        const next = change(current) ?? current;
        await store.set(ws, next);
        version++;
        loading.delete(ws);
        remember(ws, next, clockMs());
        return next;
      });
    },
    async lanes(ws) {
      return (await entry(ws)).lanes;
    },
  };
}

/** Merges a workspace's lane lists over the defaults. */
export function resolveLanes(custom: WorkspaceSettings['lanes']): LaneTable {
  const out = {} as Record<LaneName, readonly ModelRef[]>;
  for (const lane of LANES) {
    const list = custom?.[lane]?.map(parseModelRef).filter((r): r is ModelRef => r !== undefined);
    out[lane] = list && list.length > 0 ? list : DEFAULT_LANES[lane];
  }
  return out;
}
