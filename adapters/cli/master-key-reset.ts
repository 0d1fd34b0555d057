import { CHAT_ADAPTERS } from '../chat/registry.ts';
import { loadConfig } from '../../src/app/config.ts';
import { UserError } from '../../src/shared/errors.ts';
import { forgetSealedSecrets } from '../../src/keys/master-key.ts';
import { createStore } from '../store/open-store.ts';
import { currentMasterKey, readSealedInventory, type SealedInventory } from './sealed-inventory.ts';

/**
 * `hive master-key reset --yes`: the documented way out when the master key is lost. It opens the
 * store without the key check that stops start-up, deletes what the old key sealed and its
 * fingerprint, so the next start adopts the current (or a newly generated) key. While the current
 * key still opens everything stored, nothing is lost, so it refuses unless `force` says the
 * deletion is meant, and then names what it deletes.
 */
export async function masterKeyReset(
  action: string | undefined,
  yes: boolean,
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream,
  force = false,
): Promise<number> {
  if (action !== 'reset') throw new UserError('Usage: hive master-key reset --yes [--force]');
  if (!yes) {
    throw new UserError(
      'This deletes every stored vendor key and Slack installation (they were sealed with the lost master key). Run it again with --yes to go ahead; admins then add keys again with /hive keys.',
    );
  }
  const config = loadConfig(env, CHAT_ADAPTERS);
  const store = await createStore(config.storeUrl);
  try {
    const sealed = await readSealedInventory(store);
    const current = currentMasterKey(config.masterKey, config.dataDir);
    const opensAll = current !== undefined && everything(sealed).length > 0 && everything(sealed).every((s) => s.kid === current.kid);
    if (opensAll && !force) throw new UserError(notLost(sealed, current.source));
    if (opensAll) out.write(`Deleting, though the master key from ${current.source} opens them: ${inventoryText(sealed)}.\n`);
    await forgetSealedSecrets(store);
  } finally {
    await store.close();
  }
  out.write(
    'Deleted the stored vendor keys and Slack installations. The next start uses the current master key (HIVE_MASTER_KEY, or a new data/master.key); add keys again with /hive keys or `hive keys set`.\n',
  );
  return 0;
}

const everything = (s: SealedInventory) => [...s.keys, ...s.installations];

function notLost(sealed: SealedInventory, source: string): string {
  return [
    `Nothing deleted: the master key from ${source} opens everything stored (${inventoryText(sealed)}), so it is not lost.`,
    'To remove one vendor key, use `hive keys remove --workspace <id> --vendor <vendor>`.',
    'To delete all of them anyway, run `npm run hive -- master-key reset --yes --force`.',
  ].join('\n');
}

function inventoryText(s: SealedInventory): string {
  const keys =
    s.keys.length === 0 ? 'no vendor keys' : `${s.keys.length} vendor key${s.keys.length === 1 ? '' : 's'} (${s.keys.map((k) => k.name).join(', ')})`;
  const inst = `${s.installations.length} Slack installation${s.installations.length === 1 ? '' : 's'}`;
  return `${keys} and ${inst}`;
}
