import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { createStore } from '../../adapters/store/open-store.ts';
import { resolveMasterKey, type MasterKeyMarker } from '../keys/master-key.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { LogDb } from '../store/log-db.ts';
import type { Store } from '../store/store.ts';
import type { Config } from './config.ts';
import { importLegacyData } from './legacy-import.ts';
import { outageLog } from './outage-log.ts';
import { sealedKids } from './sealed-kids.ts';

/** Opens the keyed store and the log database, then checks the master key against the sealed data. */
export async function openStorage(config: Config, log: Logger, clock: Clock): Promise<{ store: Store; logs: LogDb; masterKey: Buffer }> {
  const store = await createStore(config.storeUrl);
  try {
    const logs = await openLogDb(config.databaseUrl, {
      waitMs: config.outageWaitMs,
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms),
      onOutage: outageLog(log, config.outageWaitMs),
    });
    const masterKey = await resolveMasterKey({
      configured: config.masterKey,
      dataDir: config.dataDir,
      log,
      meta: store.ns<MasterKeyMarker>('meta'),
      sealedKids: () => sealedKids(store),
    });
    // Before any chat adapter starts: usage, evidence and budgets of releases before the log store.
    await importLegacyData({ store, db: logs, log, retentionDays: config.evidenceRetentionDays });
    return { store, logs, masterKey };
  } catch (e) {
    await store.close();
    throw e;
  }
}
