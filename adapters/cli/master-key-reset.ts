import { CHAT_ADAPTERS } from '../chat/registry.ts';
import { loadConfig } from '../../src/app/config.ts';
import { UserError } from '../../src/errors.ts';
import { forgetSealedSecrets } from '../../src/keys/master-key.ts';
import { createStore } from '../store/open-store.ts';

/**
 * `hive master-key reset --yes`: the documented way out when the master key is lost. It opens the
 * store without the key check that stops start-up, deletes what the old key sealed and its
 * fingerprint, so the next start adopts the current (or a newly generated) key.
 */
export async function masterKeyReset(action: string | undefined, yes: boolean, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  if (action !== 'reset') throw new UserError('Usage: hive master-key reset --yes');
  if (!yes) {
    throw new UserError(
      'This deletes every stored vendor key and Slack installation (they were sealed with the lost master key). Run it again with --yes to go ahead; admins then add keys again with /hive keys.',
    );
  }
  const store = await createStore(loadConfig(env, CHAT_ADAPTERS).storeUrl);
  try {
    await forgetSealedSecrets(store);
  } finally {
    await store.close();
  }
  out.write(
    'Deleted the stored vendor keys and Slack installations. The next start uses the current master key (HIVE_MASTER_KEY, or a new data/master.key); add keys again with /hive keys or `hive keys set`.\n',
  );
  return 0;
}
