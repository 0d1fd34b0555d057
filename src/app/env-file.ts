import fs from 'node:fs';

/** Loads `./.env` when present, without overriding variables already set in the environment. */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
