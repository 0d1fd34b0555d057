import { randomBytes } from 'node:crypto';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive } from '../../src/app/hive.ts';
import { RELAY_LIMIT, relayDefinition } from '../adapters/chat/relay/index.ts';
import { runChatAdapterContract } from '../contracts/chat-adapter.contract.ts';
import { startFakeRelay } from '../fakes/relay-platform.ts';
import { startFakeVendor } from '../fakes/fake-vendor.ts';

const KEY = 'sk-test-0123456789abcdefghijKLMN';
const TOKEN = 'relay-token-0123456789';
/** The one registration line a new platform needs. */
const REGISTRY = [...CHAT_ADAPTERS, relayDefinition];

let n = 0;
const id = () => `ev${++n}`;

// Started exactly as start-up starts a platform: its own variables, the registry, createHive's host.
runChatAdapterContract({
  name: 'relay (a fourth platform: a folder plus one registration line)',
  async start(respond) {
    const vendor = await startFakeVendor({ vendor: 'openai', validKeys: [KEY], respond });
    const relay = await startFakeRelay(TOKEN);
    const env = {
      PORT: '0',
      HIVE_STORE_URL: 'memory://',
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
      OPENAI_BASE_URL: vendor.url,
      RELAY_API_URL: relay.apiUrl,
      RELAY_TOKEN: TOKEN,
    };
    const config = loadConfig(env, REGISTRY);
    const hive = await createHive(config, { logSink: { write: () => undefined } });
    await hive.keys.register('relay:main', 'openai', KEY, { verify: false });
    const definition = REGISTRY.find((d) => d.enabled(config.chat[d.name]))!;
    const adapter = await definition.create(hive.host, config.chat[definition.name]);
    const started = await adapter.start();
    const bot = `http://127.0.0.1:${started ? started.port : 0}/`;
    const say = (text: string, thread?: string, eventId = id()) =>
      relay.deliver(bot, { id: eventId, user: 'u1', channel: 'general', text, ...(thread ? { thread } : {}) });
    return {
      adapter,
      channel: { workspaceId: 'relay:main', channelId: 'general' },
      command: (name, text) => say(`/${name} ${text}`),
      async startThread(text) {
        const eventId = id();
        await say(text, undefined, eventId);
        return eventId;
      },
      followUp: (thread, text) => say(text, thread),
      async redeliver(text) {
        const eventId = id();
        await say(text, undefined, eventId);
        await say(text, undefined, eventId);
      },
      seen: () =>
        relay.messages.map((m) => ({
          text: m.text,
          audience: m.audience === 'everyone' ? 'everyone' : 'requester',
          ...(m.thread ? { threadId: m.thread } : {}),
          ...(m.edited ? { edited: true } : {}),
        })),
      modelCalls: () => vendor.requests.filter((r) => r.path.includes('/chat/completions')),
      maxMessageChars: RELAY_LIMIT,
      notifiesEveryone: (text) => /(^|[^\u200b])@(channel|here|everyone)\b/i.test(text) || /<!/.test(text),
      async close() {
        await adapter.stop();
        await hive.close();
        await Promise.all([vendor.close(), relay.close()]);
      },
    };
  },
});
