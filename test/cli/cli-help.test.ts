import fs from 'node:fs';
import { fakeSecret } from '../helpers/fake-secret.ts';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';

const KEY = fakeSecret('sk-', 'proj-canaryCLIARG0123456789abcdefghijklmnop');
let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-cli-help-'));
  env = { HIVE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The operator CLI in this process, with `stdin` on its standard input (piped, not a terminal). */
async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const input = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  (input as unknown as PassThrough).end(stdin);
  const [out, err] = [new PassThrough(), new PassThrough()];
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const code = await runCli(args, env, { stdin: input, stdout: out, stderr: err });
  return { code, out: o, err: e };
}

describe('the operator CLI explains itself', () => {
  it('GIVEN `hive help`, `--help` or `-h` THEN every command is listed on stdout and it exits 0', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = await cli(args);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(/^Usage: hive <command>\n {2}keys set /);
      for (const verb of ['keys list', 'evidence export', 'usage', 'master-key reset', 'discord register', 'serve', 'worker']) expect(r.out).toContain(verb);
      expect(r.out).toContain('hive help <command>');
    }
  });

  it('GIVEN a verb alone (keys, evidence, master-key, discord) THEN that verb’s usage is printed, not "Unknown command"', async () => {
    for (const verb of ['keys', 'evidence', 'master-key', 'discord']) {
      const r = await cli([verb]);
      expect(r.code, verb).toBe(2);
      expect(r.out, verb).toMatch(new RegExp(`^Usage:\\n {2}hive ${verb} `));
      expect(r.out + r.err, verb).not.toMatch(/Unknown command/);
    }
    expect((await cli(['keys'])).out).not.toContain('hive usage');
  });

  it('GIVEN `hive <verb> --help` or `hive help <verb>` THEN that verb’s usage, exit 0; an unknown verb is named and refused', async () => {
    for (const args of [
      ['keys', '--help'],
      ['help', 'keys'],
      ['keys', 'set', '--help'],
      ['keys', 'set', '-h'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out).toMatch(/^Usage:\n {2}hive keys set /);
      expect(r.out).toContain('paste it at the hidden prompt, or pipe it in');
    }
    const usage = await cli(['help', 'usage']);
    expect(usage.out).toMatch(/^Usage:\n {2}hive usage \[--workspace <id>\].*\n {7,}<period>: day, week, month/);
    const bad = await cli(['help', 'frob']);
    expect(bad).toMatchObject({ code: 2, out: '' });
    expect(bad.err).toMatch(/^Unknown command: "frob"\.\nUsage: hive <command>/);
    const sub = await cli(['keys', 'sett']);
    expect(sub.err).toMatch(/^hive keys has no command "sett"; its commands are set, list, test, remove\.\nUsage:\n {2}hive keys set/);
  });

  it('GIVEN --version or -v THEN the version alone is printed', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) expect(await cli([flag])).toEqual({ code: 0, out: `hive ${version}\n`, err: '' });
  });

  it('GIVEN an unknown option or a missing value THEN a plain sentence and the verb’s usage, without node’s quoting', async () => {
    const unknown = await cli(['keys', 'list', '--frob']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^Unknown option --frob\.\nUsage:\n {2}hive keys set/);
    expect(unknown.err).not.toContain("'");
    expect((await cli(['usage', '--period'])).err).toMatch(/^--period needs a value\.\nUsage:\n {2}hive usage/);
    expect((await cli(['usage', '--json=yes'])).err).toMatch(/^--json takes no value\./);
  });
});

describe('a key given on the command line', () => {
  it.each([
    [['keys', 'set', 'openai', KEY], 'openai'],
    [['keys', 'set', '--vendor', 'openai', KEY], 'openai'],
    [['keys', 'set', '--vendor=google', `--key=${KEY}`], 'google'],
    [['keys', 'set', '--vendor', 'anthropic', '--api-key', KEY], 'anthropic'],
  ])('GIVEN %j THEN it is refused: keys are not arguments; the way to give one is shown, the key nowhere', async (args, vendor) => {
    const r = await cli(args, `${KEY}\n`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Keys are not taken as command-line arguments: they would stay in your shell history\. Nothing was stored\./);
    expect(r.err).toContain(
      `Run hive keys set --vendor ${vendor} (and --workspace <id>) and paste the key at the hidden prompt, or pipe it in: hive keys set --vendor ${vendor} < key.txt`,
    );
    expect(r.err).not.toMatch(/is empty|unexpected length/);
    for (const piece of [KEY, KEY.slice(0, 12), KEY.slice(-12)]) expect(r.err).not.toContain(piece);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('GIVEN a key-like word as a command THEN it is not repeated back', async () => {
    const r = await cli([KEY]);
    expect(r.err).toMatch(/^Unknown command: \(an argument not shown\)\./);
    expect(r.err).not.toContain(KEY.slice(0, 12));
    expect((await cli(['keys', 'test', 'openai'])).err).toMatch(/^Name the vendor with --vendor: hive keys test --vendor openai\n/);
  });
});
