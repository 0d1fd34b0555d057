import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const READER = path.join(root, 'test/helpers/slow-reader.mjs');
/** Each process loads every SDK: give a loaded 2-core machine room (a process takes 2–5 s there). */
const PROCESS_TEST_MS = 90_000;

let env: Record<string, string>;
beforeAll(() => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-pipe-'));
  env = { PATH: process.env.PATH ?? '', HIVE_DATA_DIR: dataDir, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'info' };
});
afterAll(() => fs.rmSync(env.HIVE_DATA_DIR!, { recursive: true, force: true }));

/** A slow-reader process (test/helpers/slow-reader.mjs) and everything it read. */
function startReader(args: string[]) {
  const child = spawn(process.execPath, [READER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  return { child, read: new Promise<string>((resolve) => child.on('close', () => resolve(text))) };
}

/**
 * Runs `npm start`'s entry point (node with tsx's loader) with its stdout piped into one reader
 * process and its stderr into another, as `npm start | less` would, and feeds it `lines`.
 */
async function runPiped(lines: string[], extraEnv: Record<string, string>, outArgs: string[], errArgs: string[]) {
  const out = startReader(outArgs);
  const err = startReader(errArgs);
  const hive = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['pipe', out.child.stdin, err.child.stdin],
  });
  // From here only Hive writes to the readers; they see the end of input when it exits.
  out.child.stdin.destroy();
  err.child.stdin.destroy();
  const code = new Promise<number | null>((resolve) => hive.on('close', resolve));
  hive.stdin.end(lines.map((l) => `${l}\n`).join(''));
  return { code: await code, out: await out.read, err: await err.read };
}

/** The numbers of the answers printed (each answer starts with a line `[n]`). */
function answered(out: string): Set<number> {
  return new Set([...out.matchAll(/^\[(\d+)\]$/gm)].map((m) => Number(m[1])));
}

describe('npm start piped into a slow reader', () => {
  it(
    'GIVEN 1,000 lines and a reader slower than Hive THEN all 1,000 answers arrive before it exits 0',
    async () => {
      // About 2 MB of answers, read at 1 MB/s: most of them are still queued when the last job ends.
      const r = await runPiped(Array<string>(1000).fill('/hive help'), {}, [String(1024 * 1024)], []);
      expect(r.code).toBe(0);
      const got = answered(r.out);
      expect(got.size).toBe(1000);
      expect(Math.max(...got)).toBe(1000);
      expect(r.out.trimEnd().endsWith('`/hive help` — this message')).toBe(true);
    },
    PROCESS_TEST_MS,
  );

  it(
    'GIVEN debug logs on stderr and a slow reader there THEN every log line and every answer arrives',
    async () => {
      // No key: each /ask is refused with an answer on stdout and a debug line on stderr (about 500 KB of log).
      const r = await runPiped(Array<string>(2000).fill('/ask hi'), { LOG_LEVEL: 'debug' }, [], [String(256 * 1024)]);
      expect(r.code).toBe(0);
      expect(answered(r.out).size).toBe(2000);
      expect(r.err.match(/"msg":"refused with a user error"/g)).toHaveLength(2000);
    },
    PROCESS_TEST_MS,
  );

  it(
    'GIVEN readers that go away after their first chunk (EPIPE) THEN Hive stops reading and exits 0 instead of hanging or crashing',
    async () => {
      const r = await runPiped(Array<string>(1000).fill('/hive help'), { LOG_LEVEL: 'debug' }, ['--quit'], ['--quit']);
      expect(r.code).toBe(0);
    },
    PROCESS_TEST_MS,
  );
});
