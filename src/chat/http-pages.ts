import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Hive's own web pages (an answer's evidence), served on the HTTP server a platform already runs
 * on `PORT` (Slack's), so one port and one set of limits serve both; the pages check their own links.
 */
export interface HttpPages {
  /** The paths the pages answer, as route patterns (`/evidence/:id`). */
  routes: readonly string[];
  /** Whether a request's path is one of the pages'. */
  owns(path: string): boolean;
  /** Answers a request for a page: GET and HEAD, anything else 405. */
  serve(req: IncomingMessage, res: ServerResponse): void;
}
