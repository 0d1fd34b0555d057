import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../adapters/web/html-escape.ts';
import { createLinkRateLimit } from '../../adapters/web/link-rate-limit.ts';
import { servePages } from '../../src/app/pages-wiring.ts';
import type { HttpPages } from '../../src/chat/http-pages.ts';
import { DEFAULT_HTTP_LIMITS } from '../../src/chat/http-limits.ts';
import type { Logger } from '../../src/shared/log.ts';

describe('the pages web edge', () => {
  it('GIVEN markup, quotes and ampersands THEN the one escape shows them as text', () => {
    expect(escapeHtml('<script>alert("a&b")</script> it\'s')).toBe('&lt;script&gt;alert(&quot;a&amp;b&quot;)&lt;/script&gt; it&#39;s');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('GIVEN 30 requests a minute on one link THEN the 31st is refused, other links are not, and the next minute starts afresh', () => {
    let t = 0;
    const limit = createLinkRateLimit({ now: () => t });
    const first = Array.from({ length: 31 }, () => limit.allow('a'));
    expect(first.filter(Boolean).length).toBe(30);
    expect(limit.allow('b')).toBe(true);
    t += 60_000;
    expect(limit.allow('a')).toBe(true);
  });

  it('GIVEN no HIVE_PUBLIC_URL THEN pages are off and start-up says so once; with Slack THEN beside it; else a server of their own', async () => {
    const lines: string[] = [];
    const log = { info: (a: unknown, b?: string) => void lines.push(typeof a === 'string' ? a : (b ?? '')) } as unknown as Logger;
    const started: number[] = [];
    const start = async (o: { port: number }) => (started.push(o.port), { port: o.port, close: async () => undefined });
    const config = { port: 4100, http: DEFAULT_HTTP_LIMITS, role: 'all' as const };
    const pages: HttpPages = { routes: [], owns: () => false, serve: () => undefined };
    expect(await servePages({ config, pages: undefined, log, platforms: ['terminal'] }, start)).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/^evidence pages off.*HIVE_PUBLIC_URL/)]);
    expect(await servePages({ config, pages, log, platforms: ['slack', 'discord'] }, start)).toBeUndefined();
    expect(await servePages({ config: { ...config, role: 'worker' }, pages, log, platforms: ['discord'] }, start)).toBeUndefined();
    expect(started).toEqual([]);
    expect(await servePages({ config, pages, log, platforms: ['discord'] }, start)).toBeDefined();
    expect(started).toEqual([4100]);
  });
});
