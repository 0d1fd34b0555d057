import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeFileArgs } from '../../adapters/chat/terminal/file-args.ts';
import { readLocalFile } from '../../adapters/chat/terminal/local-files.ts';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import type { Dispatcher } from '../../src/chat/dispatcher.ts';
import type { Invocation } from '../../src/chat/invocation.ts';
import { readFiles } from '../../src/files/read-files.ts';
import { DEFAULT_FILE_LIMITS } from '../../src/files/prepared-file.ts';
import { AttachmentReadError } from '../../src/shared/attachment.ts';
import { png } from '../files/file-bytes.ts';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-terminal-files-'));
  fs.writeFileSync(path.join(dir, 'app.log'), '2026-01-02T10:00:00Z ERROR boom\n');
  fs.writeFileSync(path.join(dir, 'shot.png'), png(3, 2));
  fs.writeFileSync(path.join(dir, 'my notes.md'), '# Notes\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Pipes lines into the terminal with a dispatcher that records each invocation and answers it. */
async function runLines(lines: string[], cwd: string): Promise<{ out: string; invs: Invocation[] }> {
  const invs: Invocation[] = [];
  const dispatcher: Dispatcher = {
    async handle(inv) {
      invs.push(inv);
      await inv.respond({ text: 'ok', visibility: 'channel' });
    },
    drain: async () => {},
  };
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString()));
  const done = createTerminalAdapter({ input, output, dispatcher, cwd }).run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return { out, invs };
}

describe('--file at the terminal', () => {
  it('GIVEN --file among the leading flags THEN the paths leave the text, resolved against the working directory', () => {
    expect(takeFileArgs('--file app.log Why does it fail?', '/w')).toEqual({ text: 'Why does it fail?', files: [{ id: '/w/app.log', name: 'app.log' }] });
    expect(takeFileArgs('--cheap --file=a.csv --model openai:gpt-4o --file "my notes.md" --file ../x/b\\ c.txt q', '/w/sub')).toEqual({
      text: '--cheap --model openai:gpt-4o q',
      files: [
        { id: '/w/sub/a.csv', name: 'a.csv' },
        { id: '/w/sub/my notes.md', name: 'my notes.md' },
        { id: '/w/x/b c.txt', name: 'b c.txt' },
      ],
    });
    expect(takeFileArgs('—file /abs/p.pdf hi', '/w')).toEqual({ text: 'hi', files: [{ id: '/abs/p.pdf', name: 'p.pdf' }] });
    expect(takeFileArgs('--file ~/p.pdf hi', '/w')).toEqual({ text: 'hi', files: [{ id: path.join(os.homedir(), 'p.pdf'), name: 'p.pdf' }] });
  });

  it('GIVEN --file in the question itself, or after -- THEN the text is left alone', () => {
    expect(takeFileArgs('what does --file do in curl?', '/w')).toEqual({ text: 'what does --file do in curl?', files: [] });
    expect(takeFileArgs('-- --file x', '/w')).toEqual({ text: '-- --file x', files: [] });
  });

  it('GIVEN --file without a path THEN it is refused with how to give one', () => {
    expect(takeFileArgs('--file', '/w')).toEqual({ refusal: expect.stringMatching(/^Give a path after --file/) });
    expect(takeFileArgs('--file --cheap hi', '/w')).toEqual({ refusal: expect.stringMatching(/^Give a path after --file/) });
  });

  it('GIVEN piped /ask and /consensus lines with files THEN the invocations carry them, and their bytes read through readFiles', async () => {
    const { invs } = await runLines(
      ['/ask --file app.log Why?', '--file shot.png what is this', `/consensus --file ${dir}/app.log --file "my notes.md" compare`, '/ask no files'],
      dir,
    );
    expect(invs.map((i) => [i.command, i.text, i.attachments?.map((a) => a.name)])).toEqual([
      ['ask', 'Why?', ['app.log']],
      ['ask', 'what is this', ['shot.png']],
      ['consensus', 'compare', ['app.log', 'my notes.md']],
      ['ask', 'no files', undefined],
    ]);
    expect(invs[3]!.readAttachment).toBeUndefined();
    const files = await readFiles([...invs[0]!.attachments!, ...invs[1]!.attachments!], invs[0]!.readAttachment!, DEFAULT_FILE_LIMITS);
    expect(files.map((f) => [f.name, f.kind, f.mediaType])).toEqual([
      ['app.log', 'text', 'text/plain'],
      ['shot.png', 'image', 'image/png'],
    ]);
  });

  it('GIVEN a line whose --file has no path THEN it gets the usage as its reply and no job starts', async () => {
    const { out, invs } = await runLines(['/ask --file'], dir);
    expect(invs).toEqual([]);
    expect(out).toMatch(/\[1\]\n! Give a path after --file/);
  });

  it('GIVEN a missing file THEN the job is refused naming it, before any model', async () => {
    const { invs } = await runLines(['/ask --file nope.log hi'], dir);
    const refused = readFiles(invs[0]!.attachments!, invs[0]!.readAttachment!, DEFAULT_FILE_LIMITS);
    await expect(refused).rejects.toThrow('• nope.log: it could not be found (no such file)');
  });
});

describe('reading a local file', () => {
  const read = (p: string, maxBytes = 1000) => readLocalFile({ id: path.join(dir, p), name: p }, { maxBytes });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as AttachmentReadError,
    );

  it('GIVEN a file within the cap THEN its bytes are read', async () => {
    expect(Buffer.from(await read('app.log')).toString()).toBe('2026-01-02T10:00:00Z ERROR boom\n');
  });

  it('GIVEN a file over the cap THEN it fails with too_large before it is read', async () => {
    expect(await failure(read('app.log', 10))).toMatchObject({ code: 'too_large' });
  });

  it('GIVEN a missing path, a folder or a pipe THEN each fails with not_found, without waiting on the pipe', async () => {
    expect(await failure(read('gone.txt'))).toMatchObject({ code: 'not_found', message: 'gone.txt: no such file' });
    fs.mkdirSync(path.join(dir, 'folder'), { recursive: true });
    expect(await failure(read('folder'))).toMatchObject({ code: 'not_found', message: 'folder: a folder, not a file' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    expect(await failure(read('pipe'))).toMatchObject({ code: 'not_found', message: 'pipe: not a regular file' });
  });

  it.skipIf(process.getuid?.() === 0)('GIVEN a file the user may not read THEN it fails with forbidden', async () => {
    fs.writeFileSync(path.join(dir, 'locked.txt'), 'x');
    fs.chmodSync(path.join(dir, 'locked.txt'), 0o000);
    expect(await failure(read('locked.txt'))).toMatchObject({ code: 'forbidden' });
  });
});
