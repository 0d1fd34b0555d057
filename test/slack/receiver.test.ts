import type { AddressInfo } from 'node:net';
import { HTTPReceiver } from '@slack/bolt';
import { createHiveReceiver } from '../../adapters/chat/slack/receiver.ts';
import { DEFAULT_HTTP_LIMITS } from '../../src/chat/http-limits.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createMemoryAtomic } from '../../src/store/atomic.ts';
import { quietBoltLogger, runReceiverContract } from './receiver-contract.ts';

const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), sink: { write: () => undefined } });

runReceiverContract('Hive’s receiver', (signingSecret) => {
  const receiver = createHiveReceiver({ signingSecret, port: 0, host: '127.0.0.1', limits: DEFAULT_HTTP_LIMITS, log, atomic: createMemoryAtomic() });
  return { receiver, start: async () => (await receiver.start()).port };
});

// The same contract against Bolt's own receiver: it states what Bolt expects of a receiver, not what Hive's happens to do.
runReceiverContract('Bolt’s HTTPReceiver', (signingSecret) => {
  const receiver = new HTTPReceiver({ signingSecret, logger: quietBoltLogger });
  return { receiver, start: async () => ((await receiver.start({ port: 0, host: '127.0.0.1' })).address() as AddressInfo).port };
});
