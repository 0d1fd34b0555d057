import { findEncoded } from './encoded-secrets.ts';
import { mask } from './mask.ts';
import { createSecretMatcher, type SecretMatcher, type SecretScope, type SecretSpan } from './secret-matcher.ts';
import { applySpans, mergeSpans } from './secret-matcher.ts';

export { mask } from './mask.ts';
export type { SecretSpan } from './secret-matcher.ts';

/** Shapes of credentials that must never leave the process in plaintext, even unregistered ones. */
const PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,
  /AIza[0-9A-Za-z_-]{20,}/g,
  /xox[abposr]-[0-9A-Za-z-]{8,}/g,
  /xapp-[0-9A-Za-z-]{8,}/g,
];

const MIN_SECRET_LENGTH = 8;

/**
 * Masks secrets for one audience: each known secret whole (`••••` and its last four), any run of 8+
 * of its own characters, its base64 (standard or URL-safe) and hex forms, and key-shaped strings.
 */
export interface SecretScrubber {
  /** Where the text carries a secret, in order, joined where they touch: for a decision, or to hold a stream back. */
  find(text: string): SecretSpan[];
  /** The text with every secret masked; the very same string when it carries none. */
  scrub(text: string): string;
}

/**
 * The secrets this process knows. Its own `find`/`scrub` see every one, for the operator's logs;
 * whatever is decided or shown for a workspace uses `forWorkspace`, which sees the operator's secrets
 * and that workspace's own keys only, so nothing one workspace stores changes what another may ask.
 */
export interface SecretRegistry extends SecretScrubber {
  /** A secret of the operator (tokens, signing secrets, env keys) when no workspace is named, else that workspace's stored key. */
  add(secret: string | undefined, workspaceId?: string): void;
  forWorkspace(workspaceId: string): SecretScrubber;
  readonly size: number;
}

/** Creates a registry; every key Hive decrypts or reads is added so it can be scrubbed anywhere. */
export function createSecretRegistry(initial: readonly string[] = []): SecretRegistry {
  const matcher = createSecretMatcher();
  const all = scrubberOver(matcher, 'all', true);
  const registry: SecretRegistry = {
    ...all,
    add(secret, workspaceId) {
      if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) matcher.add(secret, workspaceId);
    },
    forWorkspace: (workspaceId) => scrubberOver(matcher, { workspaceId }, true),
    get size() {
      return matcher.size;
    },
  };
  for (const s of initial) registry.add(s);
  return registry;
}

/**
 * Masks one secret that must not be remembered, such as a key typed into a form before it was
 * accepted: whole, in pieces and encoded, exactly like a registered one. A secret too short to match
 * in pieces is replaced where it occurs whole.
 */
export function scrubSecret(text: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) return secret === '' ? text : text.split(secret).join(mask(secret));
  const matcher = createSecretMatcher();
  matcher.add(secret, undefined);
  return scrubberOver(matcher, 'all', false).scrub(text);
}

function scrubberOver(matcher: SecretMatcher, scope: SecretScope, shapes: boolean): SecretScrubber {
  const find = (text: string) => {
    const known = matcher.size === 0 ? [] : [...matcher.find(text, scope), ...findEncoded(text, (bytes) => matcher.find(bytes, scope))];
    const spans = shapes ? [...known, ...shapeSpans(text)] : known;
    return spans.length === 0 ? spans : mergeSpans(text, spans);
  };
  return { find, scrub: (text) => applySpans(text, find(text)) };
}

function shapeSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const p of PATTERNS) for (const m of text.matchAll(p)) spans.push({ start: m.index, end: m.index + m[0].length, mask: mask(m[0]) });
  return spans;
}
