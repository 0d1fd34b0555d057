import { resolveMasterKey, type MasterKeyMarker } from '../keys/master-key.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { LogDb } from '../store/log-db.ts';
import type { OutageWaitOptions } from '../store/outage-wait.ts';
import type { Store } from '../store/store.ts';
import type { Config } from './config.ts';
import { importLegacyData } from './legacy-import.ts';
import { outageLog } from './outage-log.ts';
import { sealedKids } from './sealed-kids.ts';

/** How the composition root opens the two stores on their backends (adapters the core does not import). */
export interface StorageOpeners {
  store(url: string): Promise<Store>;
  logs(url: string, outage: Omit<OutageWaitOptions, 'signs'>): Promise<LogDb>;
}

/** Opens the keyed store and the log database, then checks the master key against the sealed data. */
export async function openStorage(config: Config, log: Logger, clock: Clock, open: StorageOpeners): Promise<{ store: Store; logs: LogDb; masterKey: Buffer }> {
  const store = await open.store(config.storeUrl);
  try {
    const logs = await open.logs(config.databaseUrl, {
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
