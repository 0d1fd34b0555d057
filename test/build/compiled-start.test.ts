import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
/** tsc over the whole project takes 15 s on a quiet machine; give a loaded 2-core box plenty of room. */
const BUILD_MS = 300_000;
const PROCESS_TEST_MS = 90_000;

/** Runs `node <args>` (plain Node, no tsx loader) in the project, feeding stdin and collecting output. */
function runNode(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

/** Every emitted .js file under dir. */
function jsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((e) => (e.isFile() && e.name.endsWith('.js') ? [path.join(e.parentPath, e.name)] : []));
}

let dataDir: string;
beforeAll(() => {
  // The same step `npm start` runs first (prestart): builds dist/ when it is missing or older than the sources.
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-dist-'));
}, BUILD_MS);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the compiled build (npm run build, npm start, the hive bin)', () => {
  it('GIVEN the build THEN it covers src/, adapters/ and commands/ but not test/ or bench/, and no emitted import names a .ts file', () => {
    for (const d of ['src', 'adapters', 'commands']) expect(fs.existsSync(path.join(root, 'dist', d)), d).toBe(true);
    for (const d of ['test', 'bench']) expect(fs.existsSync(path.join(root, 'dist', d)), d).toBe(false);
    const tsImports = jsFiles(path.join(root, 'dist')).filter((f) => /(from\s*|import\()\s*['"]\.{1,2}\/[^'"]*\.ts['"]/.test(fs.readFileSync(f, 'utf8')));
    expect(tsImports).toEqual([]);
  });

  it(
    'GIVEN piped /hive help WHEN node runs dist/src/app/main.js THEN it answers with the command list and exits 0',
    async () => {
      const r = await runNode(['dist/src/app/main.js'], { HIVE_DATA_DIR: dataDir }, '/hive help\n');
      expect(r.err).not.toMatch(/ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^\[1\]/m);
      expect(r.out).toMatch(/\/ask \[--cheap\|--balanced\|--deep\]/);
      expect(r.out).toMatch(/\/hive evidence/);
    },
    PROCESS_TEST_MS,
  );

  it(
    'GIVEN the package bin WHEN it runs with --help THEN the compiled CLI prints its usage and exits 0',
    async () => {
      const r = await runNode(['adapters/cli/hive.mjs', '--help'], { HIVE_DATA_DIR: dataDir }, '');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: hive <command>/);
      expect(r.out).toMatch(/keys set\s+--workspace/);
      expect(r.err).not.toMatch(/Building dist/);
    },
    PROCESS_TEST_MS,
  );
});
