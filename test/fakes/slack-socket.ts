import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fake Socket Mode server received from the app: envelope acks. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
  at: number;
}

/** A Socket Mode endpoint on 127.0.0.1: the app connects to `url` (from `apps.connections.open`). */
export interface FakeSlackSocket {
  url: string;
  acks: SocketAck[];
  /** Resolves once an app has connected and been sent `hello` (or, when silent, has connected). */
  connected(): Promise<void>;
  /** Delivers an envelope (`slash_commands`, `events_api`, `interactive`) to the connected app. */
  deliver(envelope: Record<string, unknown>): void;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked server frame (text or control). */
function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(len)]);
  return Buffer.concat([head, payload]);
}

function bigLength(len: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(len));
  return b;
}

/** Parses complete client frames (always masked) from `buf`; returns them and the unread rest. */
function parseFrames(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let off = 0;
  while (buf.length - off >= 6) {
    const opcode = buf[off]! & 0x0f;
    let len = buf[off + 1]! & 0x7f;
    let p = off + 2;
    if (len === 126) [len, p] = [buf.readUInt16BE(p), p + 2];
    else if (len === 127) [len, p] = [Number(buf.readBigUInt64BE(p)), p + 8];
    if (buf.length < p + 4 + len) break;
    const mask = buf.subarray(p, p + 4);
    const payload = Buffer.from(buf.subarray(p + 4, p + 4 + len).map((byte, i) => byte ^ mask[i % 4]!));
    frames.push({ opcode, payload });
    off = p + 4 + len;
  }
  return { frames, rest: buf.subarray(off) };
}

/** How the fake behaves; `silent` accepts the WebSocket but never says `hello` (a stuck proxy or server). */
export interface FakeSlackSocketOptions {
  appId?: string;
  silent?: boolean;
}

/** Starts the fake; one app connection at a time, JSON text frames, pings answered with pongs. */
export async function startFakeSlackSocket(o: FakeSlackSocketOptions = {}): Promise<FakeSlackSocket> {
  const appId = o.appId ?? 'AHIVE';
  const acks: SocketAck[] = [];
  let socket: Socket | undefined;
  let onConnected: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onConnected = r));
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, s: Socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
    s.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket = s;
    let pending: Buffer = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      const { frames, rest } = parseFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === 0x9) s.write(frame(0xa, f.payload));
        else if (f.opcode === 0x8) s.end(frame(0x8, Buffer.alloc(0)));
        else if (f.opcode === 0x1) acks.push({ ...(JSON.parse(f.payload.toString('utf8')) as SocketAck), at: Date.now() });
      }
    });
    s.on('error', () => undefined);
    if (!o.silent)
      s.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: appId }, debug_info: { host: 'fake' } }))));
    onConnected();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    acks,
    connected: () => ready,
    deliver(envelope) {
      socket?.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
      }),
  };
}
