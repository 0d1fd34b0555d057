import readline from 'node:readline';
import { Writable } from 'node:stream';

/** Reads a secret from standard input: hidden at a terminal, the whole stream when piped. */
export async function readSecret(input: NodeJS.ReadStream, prompt: string, err: NodeJS.WritableStream): Promise<string> {
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  err.write(prompt);
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = readline.createInterface({ input, output: muted, terminal: true });
  try {
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    err.write('\n');
    return line.trim();
  } finally {
    rl.close();
  }
}
