import fs from 'node:fs';

/**
 * The package's version, for `hive --version`: read from package.json, which sits two folders up
 * from this file in the sources and three up once compiled to dist/.
 */
export function cliVersion(): string {
  const up = import.meta.url.endsWith('.ts') ? '../../package.json' : '../../../package.json';
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL(up, import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
