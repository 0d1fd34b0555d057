import { KEY_FATAL_KINDS, UserError, VendorError } from '../shared/errors.ts';
import type { KeyInfo, KeyVault } from './vault.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import { mask, scrubSecret } from '../shared/secrets.ts';
import type { ModelProvider, Vendor } from '../shared/types.ts';
import { VENDORS } from '../shared/types.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';
import { validateKeyShape } from './key-shape.ts';
import { ENV_KEY_VARS } from './env-key-vars.ts';

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
  const now = () => (o.now ? o.now() : new Date()).toISOString();
  const envHealth = new Map<Vendor, { health: KeyInfo['health']; reason?: string; at?: string }>();
  const envKey = (ws: string, v: Vendor) => (ws === LOCAL_WORKSPACE ? o.envKeys[v] : undefined);
  for (const k of Object.values(o.envKeys)) o.secrets.add(k);

  const verify = async (vendor: Vendor, key: string) => {
    try {
      await o.providers[vendor].listModels(key, { timeoutMs: o.verifyTimeoutMs ?? 15_000 });
    } catch (e) {
      throw verificationError(vendor, e);
    }
  };
  const envStatus = (vendor: Vendor, key: string): KeyStatus => {
    const h = envHealth.get(vendor);
    return {
      vendor,
      masked: mask(key),
      addedAt: 'environment',
      source: 'env',
      health: h?.health ?? 'unverified',
      ...(h?.reason ? { healthReason: h.reason } : {}),
      ...(h?.at ? { lastVerifiedAt: h.at } : {}),
    };
  };

  return {
    async register(ws, vendor, rawKey, opts) {
      try {
        const key = validateKeyShape(vendor, rawKey);
        if (opts.verify) await verify(vendor, key);
        return await o.vault.set(ws, vendor, key, { addedBy: opts.addedBy, verifiedAt: opts.verify ? now() : undefined });
      } catch (e) {
        // The candidate is not a secret of this process until it is stored: masked here, never registered.
        if (e instanceof UserError) throw new UserError(o.secrets.forWorkspace(ws).scrub(scrubSecret(e.message, rawKey.trim())), e.code);
        throw e;
      }
    },
    async test(ws, vendor) {
      const fromEnv = envKey(ws, vendor);
      const stored = fromEnv ? undefined : (await o.vault.list(ws)).find((k) => k.vendor === vendor);
      if (stored?.health === 'unreadable')
        throw new UserError(`The stored ${VENDOR_INFO[vendor].label} key cannot be opened: it was ${stored.healthReason}.`, 'key_unreadable');
      const key = fromEnv ?? (await o.vault.get(ws, vendor));
      if (!key) throw new UserError(`No ${VENDOR_INFO[vendor].label} key is registered for this workspace.`);
      try {
        await verify(vendor, key);
        await markHealth(ws, vendor, 'ok');
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        const shown = new UserError(o.secrets.forWorkspace(ws).scrub(e.message), e.code);
        if (shown.code === 'key_rejected') await markHealth(ws, vendor, 'unhealthy', shown.message);
        throw shown;
      }
      const status = (await this.list(ws)).find((s) => s.vendor === vendor);
      return status!;
    },
    async list(ws) {
      const stored = await o.vault.list(ws);
      return VENDORS.flatMap((v): KeyStatus[] => {
        const e = envKey(ws, v);
        const s = stored.find((k) => k.vendor === v);
        if (e && s) return [envStatus(v, e), { ...s, source: 'vault', shadowedBy: ENV_KEY_VARS[v] }];
        if (e) return [envStatus(v, e)];
        return s ? [{ ...s, source: 'vault' }] : [];
      });
    },
    remove: (ws, vendor) => o.vault.remove(ws, vendor),
    removeWorkspace: (ws) => o.vault.removeWorkspace(ws),
    async usable(ws) {
      const out = new Map<Vendor, UsableKey>();
      for (const v of VENDORS) {
        const e = envKey(ws, v);
        if (e && envHealth.get(v)?.health !== 'unhealthy') out.set(v, { vendor: v, key: e, source: 'env' });
      }
      if (out.size === VENDORS.length) return out;
      for (const { info, key } of await o.vault.unlockAll(ws)) {
        if (!envKey(ws, info.vendor) && info.health !== 'unhealthy' && info.health !== 'unreadable')
          out.set(info.vendor, { vendor: info.vendor, key, source: 'vault' });
      }
      return out;
    },
    async reportFailure(ws, vendor, err) {
      if (!KEY_FATAL_KINDS.includes(err.kind)) return;
      await markHealth(ws, vendor, 'unhealthy', `${err.kind}: ${o.secrets.forWorkspace(ws).scrub(err.message)}`);
    },
  };

  async function markHealth(ws: string, vendor: Vendor, health: KeyInfo['health'], reason?: string) {
    if (envKey(ws, vendor)) envHealth.set(vendor, { health, reason, at: now() });
    else await o.vault.setHealth(ws, vendor, health, reason, health === 'ok' ? now() : undefined);
  }
}

/** Turns a failed verification into an actionable message naming the vendor and its reason. */
function verificationError(vendor: Vendor, e: unknown): UserError {
  const info = VENDOR_INFO[vendor];
  if (e instanceof VendorError && KEY_FATAL_KINDS.includes(e.kind)) {
    return new UserError(`${info.label} rejected this key: ${e.message}. Check or create a key at ${info.keysUrl}`, 'key_rejected');
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new UserError(`Could not verify the ${info.label} key (${reason}). Try again, or skip the check with --no-verify.`, 'key_unverifiable');
}
