import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

/** Runs lines through the terminal adapter into the whole bot; resolves with everything it printed. */
async function runLines(h: Harness, lines: string[], cwd: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const done = createTerminalAdapter({ input, output, dispatcher: h.hive.dispatcher, cwd }).run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return out;
}

describe('/ask --file at the terminal, through the whole bot', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'The worker ran out of memory.', usage: { input: 120, output: 8 } }) } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-terminal-ask-'));
    fs.writeFileSync(path.join(dir, 'app.log'), '2026-01-02T10:00:00Z INFO start\n2026-01-02T10:00:09Z ERROR worker crashed: out of memory\n');
    fs.writeFileSync(path.join(dir, 'bundle.zip'), Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Array<number>(60).fill(0)]));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a piped /ask with a log THEN the model reads it fenced, never its path, and the footer counts it', async () => {
    const out = await runLines(h, ['/ask --file app.log Why did it fail?'], dir);
    expect(out).toContain('The worker ran out of memory.');
    expect(out).toMatch(/1 file/);
    const body = JSON.stringify(h.vendors.openai!.requests.at(-1)!.body);
    expect(body).toContain('ERROR worker crashed: out of memory');
    expect(body).toContain('file \\"app.log\\"');
    expect(body).not.toContain(dir);
  });

  it('GIVEN a zip and a missing file THEN the reply names both and no model is called', async () => {
    const before = h.vendors.openai!.requests.length;
    const out = await runLines(h, ['/ask --file bundle.zip --file gone.log What is inside?'], dir);
    expect(out).toContain('bundle.zip: it is an archive (zip)');
    expect(out).toContain('gone.log: it could not be found (no such file)');
    expect(h.vendors.openai!.requests.length).toBe(before);
  });
});
