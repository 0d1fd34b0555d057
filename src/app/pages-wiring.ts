import type { HttpPages } from '../chat/http-pages.ts';
import type { HttpLimits } from '../chat/http-limits.ts';
import type { Logger } from '../shared/log.ts';
import type { Config } from './config.ts';

/** A server started for the pages alone, as `adapters/web/` starts one. */
export interface StartPages {
  (o: { port: number; pages: HttpPages; limits: HttpLimits; log: Logger }): Promise<{ port: number; close(): Promise<void> }>;
}

/**
 * Where this process serves the evidence pages, said once at start-up: nowhere without
 * `HIVE_PUBLIC_URL` (or on a worker, which serves no HTTP), beside Slack's endpoints when Slack runs
 * here (its server is on `PORT`), else on a server of their own on `PORT`.
 */
export async function servePages(
  o: { config: Pick<Config, 'port' | 'http' | 'role'>; pages: HttpPages | undefined; log: Logger; platforms: readonly string[] },
  start: StartPages,
): Promise<{ close(): Promise<void> } | undefined> {
  if (o.config.role === 'worker') return undefined;
  if (!o.pages) {
    o.log.info('evidence pages off: footers show the evidence id alone (set HIVE_PUBLIC_URL to link them to their pages)');
    return undefined;
  }
  if (o.platforms.includes('slack')) {
    o.log.info({ port: o.config.port }, 'evidence pages served on PORT beside the Slack endpoints');
    return undefined;
  }
  return start({ port: o.config.port, pages: o.pages, limits: o.config.http, log: o.log });
}
