import { SimpleShardingStrategy, type ClientOptions, type GatewayDispatchPayload, type IShardingStrategy } from 'discord.js';

/** What stands between the gateway and discord.js: a check of each dispatch, and a net for what discord.js throws. */
export interface GatewayGuard {
  /** Whether a dispatch may reach discord.js (a refused one is logged, and answered, by the guard). */
  admit(packet: GatewayDispatchPayload | undefined): boolean;
  /** discord.js threw while handling a shard event: log it (and answer what can be answered). */
  contained(event: string, payload: Record<string, unknown>, err: unknown): void;
}

/** The gateway manager (from `@discordjs/ws`) a sharding strategy relays shard events to. */
type ShardManager = Parameters<NonNullable<NonNullable<ClientOptions['ws']>['buildStrategy']>>[0];

/** `@discordjs/ws`'s event for a gateway dispatch (discord.js's own enum of the same name differs). */
const DISPATCH = 'dispatch';

/**
 * discord.js's own one-process sharding, given to the client through its `ws.buildStrategy` hook,
 * relaying every shard event through the guard. Without it, a dispatch discord.js cannot build
 * (`BigInt('abc')` for permissions, a null payload) throws inside the shard's message handler: an
 * unhandled rejection, which ends the process.
 */
export function guardedStrategy(guard: GatewayGuard): (manager: ShardManager) => IShardingStrategy {
  return (manager) => new SimpleShardingStrategy(withGuardedEvents(manager, guard));
}

/** The manager as the strategy sees it: the same object, except that what it emits passes the guard first. */
function withGuardedEvents(manager: ShardManager, guard: GatewayGuard): ShardManager {
  const emit = (event: string, payload: Record<string, unknown>): boolean => {
    if (event === DISPATCH && !guard.admit(payload['data'] as GatewayDispatchPayload | undefined)) return false;
    try {
      return (manager.emit as (e: string, p: unknown) => boolean).call(manager, event, payload);
    } catch (err) {
      guard.contained(event, payload, err);
      return false;
    }
  };
  return new Proxy(manager, {
    get(target, prop) {
      if (prop === 'emit') return emit;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
