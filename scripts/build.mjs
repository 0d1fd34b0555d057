#!/usr/bin/env node
// Compiles src/, adapters/ and commands/ to dist/ with tsc (tsconfig.build.json), so production runs plain JavaScript.
//   node scripts/build.mjs             clean build
//   node scripts/build.mjs --if-stale  build only when dist/ is missing or older than a source file (npm start, the hive bin)
// Build output goes to standard error: standard output belongs to the bot's answers and the CLI's results.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist');
/** The file every build writes; its age is the build's age. */
export const entry = path.join(outDir, 'src', 'app', 'main.js');
const sourceDirs = ['src', 'adapters', 'commands'];
const configFiles = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Newest modification time (ms) among the compiled sources and the build configuration. */
function newestSourceMtime() {
  let newest = 0;
  const visit = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of sourceDirs) visit(path.join(root, d));
  for (const f of configFiles) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

/** Why dist/ needs a build, or null when it is up to date. */
export function staleReason() {
  if (!fs.existsSync(entry)) return 'dist/ has not been built yet';
  return fs.statSync(entry).mtimeMs < newestSourceMtime() ? 'sources changed since the last build' : null;
}

/** The TypeScript compiler's script, or null when TypeScript is not installed (e.g. `npm ci --omit=dev`). */
function tscPath() {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

/** Cleans dist/ and compiles; returns true on success. Messages go to standard error. */
export function build() {
  const tsc = tscPath();
  if (!tsc) {
    process.stderr.write('Cannot build dist/: TypeScript is not installed. Run `npm ci` (with dev dependencies), then `npm run build`.\n');
    return false;
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write('Build failed: tsc reported the errors above. Fix them and run `npm run build` again.\n');
    return false;
  }
  return true;
}

/** Builds when dist/ is missing or stale; returns true when dist/ is ready to run. A stale build that cannot be rebuilt still runs, with a warning. */
export function ensureBuilt() {
  const reason = staleReason();
  if (!reason) return true;
  process.stderr.write(`Building dist/ (${reason})…\n`);
  if (build()) return true;
  if (!fs.existsSync(entry)) return false;
  process.stderr.write('Running the previous build in dist/.\n');
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ok = process.argv.includes('--if-stale') ? ensureBuilt() : build();
  process.exitCode = ok ? 0 : 1;
}
