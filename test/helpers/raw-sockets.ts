import net from 'node:net';

/** A client connection over loopback that does only what a test tells it to, and notes when the server closes it. */
export interface RawClient {
  socket: net.Socket;
  /** Whether the connection has closed. */
  closed(): boolean;
  /** Everything the server sent (e.g. a 408). */
  received(): string;
}

/** Opens `n` connections one after another (each connected before the next, so their age is their order), each then doing `then`. */
export async function openClients(port: number, n: number, then: (s: net.Socket) => void = () => undefined): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let i = 0; i < n; i++) clients.push(await openClient(port, then));
  return clients;
}

function openClient(port: number, then: (s: net.Socket) => void): Promise<RawClient> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let closed = false;
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('error', () => undefined); // a reset is one more way of being closed
    socket.on('close', () => (closed = true));
    const client = { socket, closed: () => closed, received: () => got };
    socket.once('connect', () => {
      then(socket);
      resolve(client);
    });
    // A connection closed before it was even accepted still counts as closed.
    socket.once('close', () => resolve(client));
  });
}

/**
 * Sends a POST's headers (declaring a body of `length` bytes) and then one byte of it every
 * `everyMs`, never finishing: a slow-body client. The timer stops when the connection closes.
 */
export function trickleBody(headers: Record<string, string>, length = 10_000, everyMs = 200): (s: net.Socket) => void {
  const head = Object.entries({ host: '127.0.0.1', 'content-length': String(length), ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return (s) => {
    s.write(`POST /slack/events HTTP/1.1\r\n${head}\r\n`);
    const timer = setInterval(() => (s.writable ? s.write('a') : clearInterval(timer)), everyMs);
    s.once('close', () => clearInterval(timer));
  };
}

/** Closes whatever is still open. */
export function closeAll(clients: readonly RawClient[]): void {
  for (const c of clients) c.socket.destroy();
}
