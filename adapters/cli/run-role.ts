import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `hive serve` / `hive worker`: the bot's own entry point in a child process with `HIVE_ROLE` set
 * (the CLI is not the bot), its output passed through and SIGINT/SIGTERM forwarded, so it drains.
 */
export async function runRole(role: 'serve' | 'worker', env: NodeJS.ProcessEnv): Promise<number> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = fileURLToPath(new URL(`../../src/app/main${ext}`, import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, entry], { env: { ...env, HIVE_ROLE: role }, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
