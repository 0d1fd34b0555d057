import net from 'node:net';

/**
 * A TCP relay to a real server (PostgreSQL, Redis) that a test can take down and bring back: the
 * outage a restart, a failover or a network cut makes, without touching the server other tests share.
 */
export interface TcpProxy {
  port: number;
  /** A URL like `url` whose host and port are the proxy's. */
  via(url: string): string;
  /** Cuts every open connection and refuses new ones until `up`. */
  down(): void;
  /** Accepts and relays again. */
  up(): void;
  /** Accepts new connections and never answers them (a black hole) until `up`. */
  silence(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'up' | 'down' | 'silent' = 'up';
  const open = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'down') return void client.destroy();
    if (mode === 'silent') return;
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cutAll = () => {
    for (const s of open) s.destroy();
  };
  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    down() {
      mode = 'down';
      cutAll();
    },
    up() {
      if (mode === 'silent') cutAll(); // a silenced connection never recovers: drop it, as a firewall reset would
      mode = 'up';
    },
    silence() {
      mode = 'silent';
      cutAll();
    },
    async close() {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Host and port of a `redis://` or `postgres://` URL, for the proxy's target. */
export function targetOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}
