import { spawn } from 'node:child_process';

/** A command running at a pseudo-terminal (util-linux `script`), typed into and read like a person would. */
export interface PtySession {
  /** Everything the terminal showed so far, escape sequences included. */
  readonly output: string;
  /** Sends keystrokes (`\r` is Enter, `\x04` is Ctrl-D). */
  type(keys: string): void;
  /** Resolves once `pattern` appears in the screen text (see screenText) of the output after `from` (an offset into output); rejects at the deadline. */
  waitFor(pattern: RegExp | string, opts?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** The command's exit code (`script -e` passes it on). */
  readonly exited: Promise<number | null>;
  kill(): void;
}

/** Whether `script` from util-linux is here (Debian: the essential bsdutils package). */
export const SCRIPT = '/usr/bin/script';

/** Runs `command` through `sh -c` at a fresh pseudo-terminal; its stdin, stdout and stderr are all the terminal. */
export function startPty(command: string, opts: { cwd: string; env: Record<string, string> }): PtySession {
  const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
    cwd: opts.cwd,
    env: { SHELL: '/bin/sh', TERM: 'xterm', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const grow = (d: Buffer) => {
    output += d.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', grow);
  child.stderr.on('data', grow);
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      resolve(code);
      for (const l of listeners) l();
    }),
  );
  return {
    get output() {
      return output;
    },
    type(keys) {
      child.stdin.write(keys);
    },
    waitFor(pattern, o = {}) {
      const from = o.from ?? 0;
      const found = () => {
        const text = screenText(output.slice(from));
        return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
      };
      return new Promise((resolve, reject) => {
        const check = () => {
          if (found()) {
            done();
            resolve(output);
          } else if (ended) {
            done();
            reject(new Error(`the command exited before ${String(pattern)} appeared; the terminal showed:\n${JSON.stringify(output.slice(from))}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${String(pattern)}; the terminal showed:\n${JSON.stringify(output.slice(from))}`));
        }, o.timeoutMs ?? 30_000);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    exited,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The terminal's text without escape sequences and carriage returns, for reading and matching. */
export function screenText(raw: string): string {
  const esc = String.fromCharCode(27);
  return raw
    .replace(new RegExp(`${esc}\\[[0-9;?]*[A-Za-z]`, 'g'), '')
    .replace(new RegExp(`${esc}\\][^${String.fromCharCode(7)}]*${String.fromCharCode(7)}`, 'g'), '')
    .replace(/\r/g, '');
}
