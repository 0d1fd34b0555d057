import type { ChatAdapterDefinition } from '../../../src/chat/chat-adapter-definition.ts';
import { parseSlackEnv, slackSecrets, type SlackConfig } from './config.ts';

/** Slack's registry entry: runs when any `SLACK_*` is set. */
export const slackDefinition: ChatAdapterDefinition<SlackConfig> = {
  name: 'slack',
  parseEnv: parseSlackEnv,
  secrets: slackSecrets,
  enabled: (config) => config !== undefined,
  async create(host, config) {
    // Loaded only here: Bolt is the heaviest import, and the terminal and the CLI never need it.
    const { createSlackAdapter } = await import('./index.ts');
    return createSlackAdapter({ config, host });
  },
  jobAddressCodec: async () => (await import('./job-address.ts')).slackAddressCodec,
  async createAnswerer(host, config) {
    const { createSlackAnswerer } = await import('./answerer.ts');
    return createSlackAnswerer({ config, host });
  },
};
