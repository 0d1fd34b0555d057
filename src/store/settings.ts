import type Keyv from 'keyv';
import { DEFAULT_LANES } from '../routing/default-lanes.ts';
import { createKeyedMutex } from './mutex.ts';
import type { LaneName, ModelRef, Vendor } from '../types.ts';
import { LANES, parseModelRef } from '../types.ts';
import type { VendorLimits } from '../vendors/pacer-limits.ts';

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
  budgets?: BudgetSettings;
  /** Jobs whose worst-case cost passes this ask for confirmation first. */
  confirmAboveUsd?: number;
  vendorLimits?: Partial<Record<Vendor, Partial<VendorLimits>>>;
  /** `provider:model` that writes consensus verdicts; unset: a balanced model of a vendor that answered. */
  consensusJudge?: string;
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

export function createSettings(store: Keyv<WorkspaceSettings>): SettingsService {
  const cache = new Map<string, WorkspaceSettings>();
  const mutex = createKeyedMutex();
  const svc: SettingsService = {
    async get(ws) {
      const hit = cache.get(ws);
      if (hit) return hit;
      const s = (await store.get(ws)) ?? {};
      cache.set(ws, s);
      return s;
    },
    cached: (ws) => cache.get(ws),
    update(ws, change) {
      return mutex.run(ws, async () => {
        const current = structuredClone((await store.get(ws)) ?? {});
        const next = change(current) ?? current;
        await store.set(ws, next);
        cache.set(ws, next);
        return next;
      });
    },
    async lanes(ws) {
      return resolveLanes((await svc.get(ws)).lanes);
    },
  };
  return svc;
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
