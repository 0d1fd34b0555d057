import { KEY_FATAL_KINDS, UserError, type VendorError } from '../shared/errors.ts';
import type { KeyInfo, KeyVault } from './vault.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import { mask, scrubSecret } from '../shared/secrets.ts';
import type { ModelProvider, Vendor } from '../shared/provider-spec.ts';
import { VENDORS } from '../shared/provider-spec.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';
import { validateKeyShape } from './key-shape.ts';
import { ENV_KEY_VARS } from './env-key-vars.ts';
import { verifyKey } from './key-verification.ts';

/** A key the router may use now, and where it came from. */
export interface UsableKey {
  vendor: Vendor;
  key: string;
  source: 'vault' | 'env';
}

export interface KeyStatus extends KeyInfo {
  source: 'vault' | 'env';
  /** A stored key that is not used because this environment variable's key wins, so no one wonders where it went. */
  shadowedBy?: string;
}

/** Registers, verifies and hands out a workspace's vendor keys; the router's only key source. */
export interface KeyService {
  register(ws: string, vendor: Vendor, key: string, opts: { verify: boolean; addedBy?: string }): Promise<KeyInfo>;
  test(ws: string, vendor: Vendor): Promise<KeyStatus>;
  list(ws: string): Promise<KeyStatus[]>;
  remove(ws: string, vendor: Vendor): Promise<boolean>;
  /** Deletes every key of a workspace (uninstall, tokens revoked). */
  removeWorkspace(ws: string): Promise<void>;
  usable(ws: string): Promise<Map<Vendor, UsableKey>>;
  /** Marks a key unhealthy after a non-retryable vendor failure (bad key, spent quota). */
  reportFailure(ws: string, vendor: Vendor, err: VendorError): Promise<void>;
}

export interface KeyServiceOptions {
  vault: KeyVault;
  providers: Record<Vendor, ModelProvider>;
  secrets: SecretRegistry;
  /** Keys from the environment, for the `local` terminal workspace only. */
  envKeys: Partial<Record<Vendor, string>>;
  verifyTimeoutMs?: number;
  now?: () => Date;
}

export const LOCAL_WORKSPACE = 'local';

/** Creates the key service; env keys belong to the `local` workspace and win over stored ones. */
export function createKeyService(o: KeyServiceOptions): KeyService {
  const s: KeyServiceState = { o, envHealth: new Map() };
  for (const k of Object.values(o.envKeys)) o.secrets.add(k);
  return {
    register: (ws, vendor, rawKey, opts) => registerKey(s, ws, vendor, rawKey, opts),
    test: (ws, vendor) => testKey(s, ws, vendor),
    list: (ws) => listKeys(s, ws),
    remove: (ws, vendor) => o.vault.remove(ws, vendor),
    removeWorkspace: (ws) => o.vault.removeWorkspace(ws),
    usable: (ws) => usableKeys(s, ws),
    async reportFailure(ws, vendor, err) {
      if (!KEY_FATAL_KINDS.includes(err.kind)) return;
      await markHealth(s, ws, vendor, 'unhealthy', `${err.kind}: ${o.secrets.forWorkspace(ws).scrub(err.message)}`);
    },
  };
}

/** What the service's operations share: its options and the health of env keys, which have no vault row. */
interface KeyServiceState {
  o: KeyServiceOptions;
  envHealth: Map<Vendor, { health: KeyInfo['health']; reason?: string; at?: string }>;
}

function nowIso(s: KeyServiceState): string {
  return (s.o.now ? s.o.now() : new Date()).toISOString();
}

function envKey(s: KeyServiceState, ws: string, v: Vendor): string | undefined {
  return ws === LOCAL_WORKSPACE ? s.o.envKeys[v] : undefined;
}

function verify(s: KeyServiceState, vendor: Vendor, key: string): Promise<void> {
  return verifyKey(s.o.providers[vendor], vendor, key, s.o.verifyTimeoutMs);
}

async function registerKey(s: KeyServiceState, ws: string, vendor: Vendor, rawKey: string, opts: { verify: boolean; addedBy?: string }): Promise<KeyInfo> {
  try {
    const key = validateKeyShape(vendor, rawKey);
    if (opts.verify) await verify(s, vendor, key);
    return await s.o.vault.set(ws, vendor, key, { addedBy: opts.addedBy, verifiedAt: opts.verify ? nowIso(s) : undefined });
  } catch (e) {
    // The candidate is not a secret of this process until it is stored: masked here, never registered.
    if (e instanceof UserError) throw new UserError(s.o.secrets.forWorkspace(ws).scrub(scrubSecret(e.message, rawKey.trim())), e.code);
    throw e;
  }
}

async function testKey(s: KeyServiceState, ws: string, vendor: Vendor): Promise<KeyStatus> {
  const fromEnv = envKey(s, ws, vendor);
  const stored = fromEnv ? undefined : (await s.o.vault.list(ws)).find((k) => k.vendor === vendor);
  if (stored?.health === 'unreadable')
    throw new UserError(`The stored ${VENDOR_INFO[vendor].label} key cannot be opened: it was ${stored.healthReason}.`, 'key_unreadable');
  const key = fromEnv ?? (await s.o.vault.get(ws, vendor));
  if (!key) throw new UserError(`No ${VENDOR_INFO[vendor].label} key is registered for this workspace.`);
  try {
    await verify(s, vendor, key);
    await markHealth(s, ws, vendor, 'ok');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const shown = new UserError(s.o.secrets.forWorkspace(ws).scrub(e.message), e.code);
    if (shown.code === 'key_rejected') await markHealth(s, ws, vendor, 'unhealthy', shown.message);
    throw shown;
  }
  const status = (await listKeys(s, ws)).find((k) => k.vendor === vendor);
  return status!;
}

async function listKeys(s: KeyServiceState, ws: string): Promise<KeyStatus[]> {
  const stored = await s.o.vault.list(ws);
  return VENDORS.flatMap((v): KeyStatus[] => {
    const e = envKey(s, ws, v);
    const k = stored.find((i) => i.vendor === v);
    if (e && k) return [envStatus(s, v, e), { ...k, source: 'vault', shadowedBy: ENV_KEY_VARS[v] }];
    if (e) return [envStatus(s, v, e)];
    return k ? [{ ...k, source: 'vault' }] : [];
  });
}

function envStatus(s: KeyServiceState, vendor: Vendor, key: string): KeyStatus {
  const h = s.envHealth.get(vendor);
  return {
    vendor,
    masked: mask(key),
    addedAt: 'environment',
    source: 'env',
    health: h?.health ?? 'unverified',
    ...(h?.reason ? { healthReason: h.reason } : {}),
    ...(h?.at ? { lastVerifiedAt: h.at } : {}),
  };
}

async function usableKeys(s: KeyServiceState, ws: string): Promise<Map<Vendor, UsableKey>> {
  const out = new Map<Vendor, UsableKey>();
  for (const v of VENDORS) {
    const e = envKey(s, ws, v);
    if (e && s.envHealth.get(v)?.health !== 'unhealthy') out.set(v, { vendor: v, key: e, source: 'env' });
  }
  if (out.size === VENDORS.length) return out;
  for (const { info, key } of await s.o.vault.unlockAll(ws)) {
    if (!envKey(s, ws, info.vendor) && info.health !== 'unhealthy' && info.health !== 'unreadable')
      out.set(info.vendor, { vendor: info.vendor, key, source: 'vault' });
  }
  return out;
}

async function markHealth(s: KeyServiceState, ws: string, vendor: Vendor, health: KeyInfo['health'], reason?: string): Promise<void> {
  if (envKey(s, ws, vendor)) s.envHealth.set(vendor, { health, reason, at: nowIso(s) });
  else await s.o.vault.setHealth(ws, vendor, health, reason, health === 'ok' ? nowIso(s) : undefined);
}
