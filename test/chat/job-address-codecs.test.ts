import { describe, expect, it } from 'vitest';
import { discordAddressCodec, type DiscordJobAddress } from '../../adapters/chat/discord/job-address.ts';
import { CHAT_ADAPTERS, FALLBACK_CHAT_ADAPTER } from '../../adapters/chat/registry.ts';
import { slackAddressCodec, type SlackJobAddress } from '../../adapters/chat/slack/job-address.ts';
import type { EncodedAddress } from '../../src/chat/address-codec.ts';
import { runJobAddressContract, type JobAddressContractOptions } from '../contracts/job-address.contract.ts';

type Platform<A> = Omit<JobAddressContractOptions<A>, 'foreign'>;

const RESPONSE_URL = 'https://hooks.slack.test/commands/T0001/1234/response-url-secret-path';
const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246dGVzdC10b2tlbi1zZWNyZXQ';

/** Slack's addresses as its intake builds them: a slash command's (with its response_url) and a thread's. */
const slack: Platform<SlackJobAddress> = {
  codec: slackAddressCodec,
  samples: [
    { kind: 'slash', teamId: 'T0001', channelId: 'C0001', userId: 'U0001', responseUrl: RESPONSE_URL, placeholder: true },
    { kind: 'thread', teamId: 'T0001', channelId: 'C0001', userId: 'U0001', threadTs: '1700000000.000100', placeholder: true },
  ],
  secretsOf: (a) => (a.responseUrl ? [a.responseUrl] : []),
};

/** Discord's: a deferred interaction's (with its token) and a message in one of Hive's threads. */
const discord: Platform<DiscordJobAddress> = {
  codec: discordAddressCodec,
  samples: [
    {
      kind: 'slash',
      guildId: '400000000000000001',
      channelId: '400000000000000002',
      userId: '300000000000000009',
      admin: false,
      interaction: { applicationId: '100000000000000002', token: INTERACTION_TOKEN, deferredAt: 1_800_000_000_000, privately: false, openThread: true },
    },
    { kind: 'thread', guildId: '400000000000000001', channelId: '400000000000000005', userId: '300000000000000009', admin: true },
  ],
  secretsOf: (a) => (a.interaction ? [a.interaction.token] : []),
};

const encoded = <A>(p: Platform<A>): EncodedAddress[] => p.samples.map((a) => p.codec.encode(a));

runJobAddressContract({ ...slack, foreign: encoded(discord) });
runJobAddressContract({ ...discord, foreign: encoded(slack) });

describe('every platform that answers queued jobs', () => {
  it('GIVEN the registry THEN each platform with an answerer names its address codec, and the contract above runs it', async () => {
    const covered: unknown[] = [slack.codec, discord.codec];
    const answering = CHAT_ADAPTERS.filter((d) => d.createAnswerer);
    expect(answering.length).toBeGreaterThan(0);
    for (const d of answering) {
      const codec = await d.jobAddressCodec?.();
      expect(codec, `${d.name} has an answerer but no address codec`).toBeDefined();
      expect(covered, `${d.name}'s codec is not run through the contract`).toContain(codec);
      expect(codec!.platform).toBe(d.name);
    }
  });

  it('GIVEN the terminal THEN it answers in its own process only: no answerer, nothing queued, no codec', () => {
    expect(FALLBACK_CHAT_ADAPTER.createAnswerer).toBeUndefined();
    expect(FALLBACK_CHAT_ADAPTER.jobAddressCodec).toBeUndefined();
  });
});
