import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake relay platform holds. */
export interface RelayMessage {
  id: string;
  channel: string;
  thread?: string;
  text: string;
  audience: string;
  edited?: boolean;
}

/** The fake relay platform: its message API on loopback, and a way to deliver user events to the bot. */
export interface FakeRelay {
  apiUrl: string;
  messages: RelayMessage[];
  /** Delivers an event to the bot's webhook. */
  deliver(botUrl: string, event: { id: string; user: string; channel: string; thread?: string; text: string }): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeRelay(token: string): Promise<FakeRelay> {
  const messages: RelayMessage[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('{}');
      const body = JSON.parse(raw) as Omit<RelayMessage, 'id'>;
      const edit = /^\/messages\/(\w+)$/.exec(req.url ?? '');
      if (req.method === 'PATCH' && edit) {
        const m = messages.find((x) => x.id === edit[1]);
        if (m) Object.assign(m, { text: body.text, edited: true });
        return void res.end(JSON.stringify({ id: edit[1] }));
      }
      const id = `m${messages.length + 1}`;
      messages.push({ ...body, id });
      res.end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/`,
    messages,
    async deliver(botUrl, event) {
      await fetch(botUrl, { method: 'POST', body: JSON.stringify(event) });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
