import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import type { CapturedMessage } from '../../src/chat/capture-event.ts';
import type { DigestChannel } from '../../src/digest/digest-channels.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { honestDigest, idsIn as idsInText } from '../fakes/digest-model.ts';
import { startFakeVendor, type FakeBehaviour, type FakeRequest, type FakeVendor } from '../fakes/fake-vendor.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { fastClock, KEYS } from '../consensus/harness.ts';

export const WS = 'slack:T0DIGEST';
export const CH = 'C0DIGEST';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** The short ids of a digest call's data (the honest model and its helper live in test/fakes/digest-model.ts). */
export const idsIn = (req: FakeRequest): string[] => idsInText(req.lastUserText);
export { honestDigest } from '../fakes/digest-model.ts';

export interface DigestBot {
  hive: Hive;
  fakes: Partial<Record<Vendor, FakeVendor>>;
  dataDir: string;
  /** Runs `/digest <text>` as a user of the channel (an admin unless `member`). */
  digest(text: string, o?: { member?: boolean; channelId?: string }): Promise<Reply>;
  /** Captures messages as a platform would report them. */
  say(messages: Partial<CapturedMessage>[]): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

/** A whole bot on SQLite in `dataDir` (a second bot on the same dir is a second process on the same store). */
export async function startDigestBot(
  o: {
    scripts?: Partial<Record<Vendor, (r: FakeRequest) => FakeBehaviour>>;
    dataDir?: string;
    now?: () => number;
    masterKey?: string;
    realSleep?: boolean;
    databaseUrl?: string;
  } = {},
): Promise<DigestBot> {
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hive-digest-'));
  const fakes: Partial<Record<Vendor, FakeVendor>> = {};
  const env: Record<string, string> = {
    HIVE_DATA_DIR: dataDir,
    HIVE_MASTER_KEY: o.masterKey ?? MASTER,
    LOG_LEVEL: 'silent',
    ...(o.databaseUrl ? { HIVE_DATABASE_URL: o.databaseUrl } : {}),
  };
  for (const [vendor, respond] of Object.entries(o.scripts ?? { openai: honestDigest }) as [Vendor, (r: FakeRequest) => FakeBehaviour][]) {
    const fake = await startFakeVendor({ vendor, respond, validKeys: [KEYS[vendor].key] });
    fakes[vendor] = fake;
    env[KEYS[vendor].url] = fake.url;
  }
  const now = o.now ?? Date.now;
  const hive = await createHive(loadConfig(env), { logSink: { write() {} }, clock: { now, sleep: o.realSleep ? systemClock.sleep : fastClock.sleep } });
  for (const vendor of Object.keys(fakes) as Vendor[]) await hive.keys.register(WS, vendor, KEYS[vendor].key, { verify: false });
  let closed: Promise<void> | undefined;
  // Once: a test that restarts a bot closes it itself, and the cleanup after the test closes it again.
  const close = () => (closed ??= shutDown());
  const shutDown = async () => {
    await hive.close();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
    if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.push(close);
  return {
    hive,
    fakes,
    dataDir,
    async digest(text, opts = {}) {
      const replies: Reply[] = [];
      const inv: Invocation = {
        platform: 'slack',
        workspaceId: WS,
        channelId: opts.channelId ?? CH,
        userId: opts.member ? 'U0MEMBER' : 'U0ADMIN',
        command: 'digest',
        text,
        isAdmin: async () => !opts.member,
        respond: async (r) => void replies.push(r),
      };
      await hive.dispatcher.handle(inv);
      return replies[0]!;
    },
    async say(messages) {
      for (const m of messages) {
        const id = `${1_700_000_000 + ++seq}.000100`;
        const message: CapturedMessage = {
          workspaceId: WS,
          channelId: CH,
          messageId: id,
          authorId: 'U1',
          authorName: 'Alice',
          text: 'hello',
          at: now(),
          permalink: `https://acme.slack.com/archives/${CH}/p${id.replace('.', '')}`,
          ...m,
        };
        await hive.host.capture.observe({ kind: 'message', message });
      }
    },
    close,
  };
}

const MASTER = randomBytes(32).toString('base64');

/** A digest channel row for tests that set one up without the command. */
export function channelAt(time: string, timezone: string, enabledAt: number, options: DigestChannel['options'] = {}): DigestChannel {
  return { platform: 'slack', workspaceId: WS, channelId: CH, time, timezone, enabledAt, enabledBy: 'U0ADMIN', options };
}
