import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { FakeProcessSpec } from './fake-vendor-process.ts';

/** The project root, where `dist/`, `scripts/` and `bench/` live. */
export const ROOT = path.resolve(import.meta.dirname, '..');

/** A child process read line by line: every stdout line kept with its arrival time. */
export interface LineProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  lines: { at: number; text: string }[];
  /** Resolves with the first line (from index `from`) matching `pred`, testing each line once; rejects after `timeoutMs` or when the process exits. */
  waitForLine(pred: (text: string) => boolean, timeoutMs: number, from?: number): Promise<{ at: number; text: string }>;
  send(line: string): void;
  /** Ends stdin, waits for exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  stderr(): string;
}

/** Spawns `node <args>` with its own environment (PATH only, plus `env`), stdin kept open. */
export function spawnNode(args: string[], env: Record<string, string>, cwd = ROOT): LineProcess {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: LineProcess['lines'] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let exited = false;
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    lines.push({ at: performance.now(), text });
    for (const w of [...waiters]) w();
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), waiters.forEach((w) => w()), resolve())));
  return {
    child,
    pid: child.pid!,
    lines,
    waitForLine: (pred, timeoutMs, from = 0) =>
      new Promise((resolve, reject) => {
        let next = from; // each line is tested once, in order, so a counting predicate is safe
        const check = () => {
          let hit: { at: number; text: string } | undefined;
          while (!hit && next < lines.length) if (pred(lines[next++]!.text)) hit = lines[next - 1];
          if (hit || exited) {
            waiters.delete(check);
            clearTimeout(timer);
            if (hit) resolve(hit);
            else reject(new Error(`process ${args.join(' ')} exited before the expected line; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no expected line within ${timeoutMs} ms from ${args.join(' ')}; stderr: ${err}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    send: (line) => void child.stdin.write(`${line}\n`),
    stop: async (graceMs = 10_000) => {
      if (exited) return;
      child.stdin.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(kill);
    },
    stderr: () => err,
  };
}

/** A fake vendor served from its own process (bench/fake-vendor-process.ts). */
export interface FakeVendorProcess {
  url: string;
  pid: number;
  stats(): Promise<{ inFlight: number; maxInFlight: number; requests: number }>;
  close(): Promise<void>;
}

/** Starts bench/fake-vendor-process.ts under tsx and waits for the URL it prints. */
export async function startFakeVendorProcess(spec: FakeProcessSpec): Promise<FakeVendorProcess> {
  const p = spawnNode(['--import', 'tsx', path.join(ROOT, 'bench', 'fake-vendor-process.ts'), JSON.stringify(spec)], {});
  const first = await p.waitForLine((t) => t.startsWith('{"url"'), 30_000);
  const url = (JSON.parse(first.text) as { url: string }).url;
  return {
    url,
    pid: p.pid,
    async stats() {
      const from = p.lines.length;
      p.send('stats');
      const line = await p.waitForLine((t) => t.startsWith('{"inFlight"'), 10_000, from);
      return JSON.parse(line.text) as { inFlight: number; maxInFlight: number; requests: number };
    },
    close: () => p.stop(),
  };
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) / 1024;
}

/** Median of `n` RSS samples `everyMs` apart: an idle process's settled figure, not one GC's peak or trough. */
export async function settledRssMb(pid: number, n = 5, everyMs = 200): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) await sleep(everyMs);
    xs.push(rssMb(pid));
  }
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The compiled entry point; built first when missing or older than the sources (scripts/build.mjs --if-stale). */
export function compiledMain(): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}`);
  return path.join(ROOT, 'dist', 'src', 'app', 'main.js');
}

/** Polls `cond` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(cond: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
