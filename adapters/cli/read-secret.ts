import readline from 'node:readline';
import { Writable } from 'node:stream';
import { UserError } from '../../src/shared/errors.ts';

/** Reads a secret from standard input: hidden at a terminal, the whole stream when piped. */
export async function readSecret(input: NodeJS.ReadStream, prompt: string, err: NodeJS.WritableStream): Promise<string> {
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  // readline puts the terminal in raw mode (no echo) and writes nothing: what is typed stays off screen.
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = readline.createInterface({ input, output: muted, terminal: true });
  err.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('line', (line) => resolve(line.trim()));
      rl.once('SIGINT', () => reject(new UserError('Cancelled; no key was stored.', 'cancelled')));
      rl.once('close', () => reject(new UserError('No key entered (input ended); no key was stored.', 'cancelled')));
    });
  } finally {
    err.write('\n');
    rl.close();
  }
}
