import { afterEach, describe, expect, it } from 'vitest';
import { slackAddressCodec } from '../../adapters/chat/slack/job-address.ts';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { JOB_ADDRESS_REFUSED } from '../../src/chat/address-codec.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';
import { createLocalQueue } from '../../src/jobs/local-queue.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import type { DiscordRequest } from '../fakes/discord-api.ts';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { CHANNEL, GUILD, discordWorker, isCallback, startDiscord, type DiscordHarness } from './harness.ts';

const USER = '300000000000000009';
const ask = {
  name: 'ask',
  guildId: GUILD,
  channelId: CHANNEL,
  userId: USER,
  options: [{ name: 'question', type: 3, value: 'What is the capital of France?' }],
};
const writes = (r: DiscordRequest) => r.method !== 'GET';

const dbs: LogDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.destroy()));
});

/** The worker's log lines for runs refused over their reply address, as the queue logged them. */
function refusals(h: DiscordHarness): { line: string; err: Record<string, unknown> }[] {
  return h.logs
    .filter((line) => line.includes(JOB_ADDRESS_REFUSED))
    .map((line) => ({ line, err: (JSON.parse(line) as { err: Record<string, unknown> }).err }))
    .filter((r) => r.err['code'] === JOB_ADDRESS_REFUSED);
}

describe('a worker given a queued job whose reply address it cannot read', () => {
  it('GIVEN a job an older intake queued (no address version) and one carrying a Slack address THEN each is refused once with a logged, not-retryable error naming the job, dropped from the queue, and nothing reaches Discord', async () => {
    const intake = createMemoryQueue();
    const h = await startDiscord({ queue: intake });
    const { id, token } = h.discord.interaction(ask);
    const [job] = (await intake.waitFor(1)) as [QueuedJob];
    await h.discord.waitFor(isCallback(id, token));
    const { addressFormat: _dropped, ...older } = job;
    const bad: QueuedJob[] = [
      { ...older, id: `${job.id}:older` },
      {
        ...job,
        id: `${job.id}:slack`,
        ...slackAddressCodec.encode({ kind: 'thread', teamId: 'T1', channelId: 'C1', userId: 'U1', threadTs: '1.2', placeholder: true }),
      },
    ];
    const writesBefore = h.discord.requests.filter(writes).length;

    const db = await openLogDb('memory://');
    dbs.push(db);
    const queue = createLocalQueue({ db, sealer: h.hive.host.sealer, log: h.hive.host.log, clock: createManualClock() });
    const abandoned: string[] = [];
    const consumer = queue.consume({ handler: discordWorker(h).handle, onAbandoned: async (j) => void abandoned.push(j.id), concurrency: 1 });
    for (const j of bad) await queue.add(j);
    await expect.poll(() => refusals(h).length, { timeout: 10_000, interval: 20 }).toBe(2);
    // Dropped once logged: a job nobody can be answered for is not run again, at this start or the next.
    await expect.poll(async () => (await queue.depth()).waiting, { timeout: 10_000, interval: 20 }).toBe(0);
    await consumer.close();

    const [older1, slack1] = refusals(h);
    expect(older1!.err).toMatchObject({ type: 'JobAddressError', retryable: false });
    expect(older1!.err['message']).toMatch(new RegExp(`queued job ${job.id}:older cannot be answered: .*no version`));
    expect(slack1!.err['message']).toMatch(new RegExp(`queued job ${job.id}:slack cannot be answered: .*slack's, not discord's`));
    for (const r of refusals(h)) expect(r.line).not.toContain(token);
    // Refused before anything was shown: no typing, no edit of the deferred reply, no message, no model call.
    expect(h.discord.requests.filter(writes)).toHaveLength(writesBefore);
    expect(h.vendor.requests.filter((r) => r.model)).toHaveLength(0);
    expect(abandoned).toEqual([]);
  });
});
