#!/usr/bin/env node
// Package bin: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const { runCli } = await import(fileURLToPath(new URL('./hive.ts', import.meta.url)));
const { loadDotEnv } = await import(fileURLToPath(new URL('../../src/app/env-file.ts', import.meta.url)));
loadDotEnv();
process.exitCode = await runCli(process.argv.slice(2), process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
