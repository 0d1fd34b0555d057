import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type Keyv from 'keyv';
import type { Sealed, Sealer } from '../../../src/keys/crypto.ts';
import type { SecretRegistry } from '../../../src/shared/secrets.ts';

/** What is stored per installation: ids in the clear, the whole installation (tokens) sealed. */
export interface InstallationRecord {
  v: 1;
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  installedAt: string;
  sealed: Sealed;
}

export interface InstallationStoreOptions {
  store: Keyv<InstallationRecord>;
  sealer: Sealer;
  secrets: SecretRegistry;
  now?: () => Date;
}

/** Org-wide installs are keyed by enterprise, the rest by team (Bolt's recommended keying). */
export function installationKey(q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `enterprise:${q.enterpriseId}`;
  return `team:${q.teamId ?? 'unknown'}`;
}

const aad = (key: string) => `hive:slack-installation:v1:${key}`;

/** Bot tokens registered with the scrubber as soon as Hive sees them. */
function registerTokens(secrets: SecretRegistry, i: Installation): void {
  secrets.add(i.bot?.token);
  secrets.add(i.bot?.refreshToken);
  secrets.add(i.user.token);
  secrets.add(i.user.refreshToken);
}

/**
 * Bolt's InstallationStore over the `installations` namespace. Tokens are encrypted with the
 * master key (AES-256-GCM, bound to the row), so the data folder never holds a token in plaintext.
 */
export function createInstallationStore(o: InstallationStoreOptions): InstallationStore & {
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
} {
  const now = () => (o.now ? o.now() : new Date()).toISOString();
  const read = async (key: string): Promise<Installation | undefined> => {
    const rec = await o.store.get(key);
    if (!rec) return undefined;
    const inst = JSON.parse(o.sealer.open(rec.sealed, aad(key))) as Installation;
    registerTokens(o.secrets, inst);
    return inst;
  };
  return {
    async storeInstallation(inst) {
      registerTokens(o.secrets, inst);
      const isEnterpriseInstall = inst.isEnterpriseInstall === true;
      const ids = { teamId: inst.team?.id, enterpriseId: inst.enterprise?.id, isEnterpriseInstall };
      const key = installationKey(ids);
      const record: InstallationRecord = { v: 1, ...ids, installedAt: now(), sealed: o.sealer.seal(JSON.stringify(inst), aad(key)) };
      await o.store.set(key, record);
    },
    async fetchInstallation(q) {
      const found = (await read(installationKey(q))) ?? (q.enterpriseId ? await read(installationKey({ ...q, isEnterpriseInstall: true })) : undefined);
      if (!found) throw new Error(`No Slack installation for ${q.isEnterpriseInstall ? `enterprise ${q.enterpriseId}` : `team ${q.teamId}`}`);
      return found;
    },
    async deleteInstallation(q) {
      await o.store.delete(installationKey(q));
    },
  };
}
