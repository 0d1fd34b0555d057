import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The HKDF label of the link key: its own, so no other use of the master key can produce a link's signature. */
const LINK_KEY_INFO = 'hive/signed-links/v1';
/** How long a link opens its page when the operator sets nothing (`HIVE_LINK_TTL_DAYS`). */
export const DEFAULT_LINK_TTL_DAYS = 7;
const DAY_MS = 86_400_000;
/** The pages a link may open: one evidence record, or (later) one workspace's spend. */
const PAGE = /^(evidence\/[0-9A-HJKMNP-TV-Z]{26}|spend)$/;

/** What a link carries besides its page: whose it is, until when, and the signature over all three. */
export interface LinkGrant {
  workspaceId: string;
  /** Expiry, in whole seconds since the epoch. */
  expires: number;
}

/**
 * Signs and checks the links Hive puts in chat: each opens one page of one workspace until it
 * expires, and nothing else, so a link can be handed on without handing on anything more.
 */
export interface LinkSigner {
  /** The page's address under `baseUrl` (`HIVE_PUBLIC_URL`), valid for the configured days from now. */
  url(baseUrl: string, workspaceId: string, page: string): string;
  /**
   * The grant a request's query carries for `page`, or undefined when it is tampered, expired,
   * malformed or for another page: callers refuse every such case alike, so nothing is revealed.
   */
  check(page: string, query: URLSearchParams): LinkGrant | undefined;
}

export interface LinkSignerOptions {
  /** The install's master key; only a key derived from it signs. */
  masterKey: Buffer;
  ttlDays?: number;
  now: () => number;
}

/** Derives the link key once and signs with HMAC-SHA256 over the workspace, page and expiry. */
export function createLinkSigner(o: LinkSignerOptions): LinkSigner {
  const key = Buffer.from(hkdfSync('sha256', o.masterKey, Buffer.alloc(0), LINK_KEY_INFO, 32));
  const ttlMs = (o.ttlDays ?? DEFAULT_LINK_TTL_DAYS) * DAY_MS;
  const mac = (g: LinkGrant, page: string) => createHmac('sha256', key).update(`${g.workspaceId}\n${page}\n${g.expires}`).digest();
  return {
    url(baseUrl, workspaceId, page) {
      if (!PAGE.test(page)) throw new Error(`not a page a link may open: ${page}`);
      const grant = { workspaceId, expires: Math.floor((o.now() + ttlMs) / 1000) };
      const q = new URLSearchParams({ w: workspaceId, e: String(grant.expires), s: mac(grant, page).toString('base64url') });
      return `${baseUrl.replace(/\/+$/, '')}/${page}?${q.toString()}`;
    },
    check(page, query) {
      const grant = grantOf(query);
      const sig = query.get('s') ?? '';
      if (!grant || !PAGE.test(page) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return undefined;
      const good = timingSafeEqual(mac(grant, page), Buffer.from(sig, 'base64url'));
      return good && grant.expires * 1000 > o.now() ? grant : undefined;
    },
  };
}

/** The workspace and expiry a query names, when both are well formed. */
function grantOf(query: URLSearchParams): LinkGrant | undefined {
  const workspaceId = query.get('w');
  const e = query.get('e');
  if (!workspaceId || workspaceId.length > 200 || !e || !/^\d{1,12}$/.test(e)) return undefined;
  return { workspaceId, expires: Number(e) };
}
