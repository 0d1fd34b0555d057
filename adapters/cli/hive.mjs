#!/usr/bin/env node
// Package bin: runs the compiled CLI in dist/, building it first when it is missing or older than the sources.
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../scripts/build.mjs';

const dist = (p) => fileURLToPath(new URL(`../../dist/${p}`, import.meta.url));
if (!ensureBuilt()) {
  process.stderr.write('hive: the compiled CLI (dist/adapters/cli/hive.js) is missing and could not be built; see above.\n');
  process.exit(1);
}
const { runCli } = await import(dist('adapters/cli/hive.js'));
const { loadDotEnv } = await import(dist('src/app/env-file.js'));
loadDotEnv();
process.exitCode = await runCli(process.argv.slice(2), process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
