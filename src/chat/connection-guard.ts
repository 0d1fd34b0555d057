import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../shared/log.ts';

/** A server's count of connections that have not yet delivered a verified request. */
export interface ConnectionGuard {
  /** The connection delivered a request whose signature checked out: it no longer counts against the cap. */
  trust(socket: Socket): void;
  /** How many open connections have not delivered a verified request. */
  unverified(): number;
}

/**
 * Caps the connections `server` holds that have not yet delivered a verified request. Past the
 * cap the oldest of them is closed at once, not the newest: anyone can open connections and leave
 * them silent, and refusing new ones would turn Slack's own request away exactly while the cap is
 * full, whereas Slack sends its request as soon as it connects and is verified before an attacker
 * could open `max` more. Connections that delivered a verified request are never closed for this.
 */
export function guardConnections(server: Server, max: number, log?: Logger): ConnectionGuard {
  const waiting = new Set<Socket>(); // in the order they connected: the first is the oldest
  let closedForCap = 0;
  const forget = (socket: Socket) => {
    waiting.delete(socket);
    // The episode is over once the count is well under the cap: say how many were closed in it.
    if (closedForCap > 0 && waiting.size <= max / 2) {
      log?.info({ closed: closedForCap, max }, 'unverified connections back under the cap');
      closedForCap = 0;
    }
  };
  server.on('connection', (socket: Socket) => {
    waiting.add(socket);
    socket.once('close', () => forget(socket));
    if (waiting.size <= max) return;
    const oldest = waiting.values().next().value as Socket;
    waiting.delete(oldest);
    oldest.destroy();
    if (closedForCap++ === 0) log?.warn({ max }, 'too many unverified connections (HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS): closing the oldest');
  });
  return {
    trust: (socket) => void waiting.delete(socket),
    unverified: () => waiting.size,
  };
}
