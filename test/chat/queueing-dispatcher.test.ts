import { describe, expect, it } from 'vitest';
import { createCommandCatalog } from '../../src/command/dispatch.ts';
import type { Command } from '../../src/command/command.ts';
import type { Dispatcher } from '../../src/chat/dispatcher.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { createQueueingDispatcher } from '../../src/command/queueing-dispatcher.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { createManualClock, type ManualClock } from '../../src/shared/clock.ts';

const command = (name: string, quick = false): Command => ({
  name,
  summary: '',
  usage: '',
  ...(quick ? { quick } : {}),
  run: async () => ({ text: 'ran', visibility: 'channel' }),
});
const catalog = createCommandCatalog([command('ask'), command('hive', true)]);
const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), fd: 2, pretty: false });

/** The options every test shares: a clock that moves only when told, and a one-minute outage wait. */
const timing = (clock: ManualClock) => ({ now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms), waitMs: 60_000 });

/** Runs `work` to its end, moving the manual clock past every wait it makes. */
async function settle<T>(clock: ManualClock, work: Promise<T>): Promise<T> {
  let done = false;
  void work.finally(() => (done = true));
  while (!done) if (!(await clock.runNext())) await new Promise((r) => setImmediate(r));
  return work;
}

function recording(): Dispatcher & { ran: string[] } {
  const ran: string[] = [];
  return { ran, handle: async (inv) => void ran.push(inv.command), drain: async () => undefined };
}

function invocation(o: Partial<Invocation> & { replies?: Reply[] } = {}): Invocation {
  const replies = o.replies ?? [];
  return {
    platform: 'slack',
    workspaceId: 'slack:T1',
    channelId: 'C1',
    userId: 'U1',
    command: 'ask',
    text: 'why?',
    isAdmin: async () => false,
    respond: async (r) => void replies.push(r),
    ...o,
  };
}

describe('intake at scale-out', () => {
  it('GIVEN a model job with a reply address THEN it is queued once under the platform event id, not run here', async () => {
    const local = recording();
    const queue = createMemoryQueue();
    const d = createQueueingDispatcher({ local, queue, commands: catalog, log, ...timing(createManualClock(42)) });
    const inv = invocation({ context: [{ role: 'user', content: 'earlier' }], queue: () => ({ id: 'slack:slash:trig.1', address: { kind: 'slash' } }) });
    await d.handle(inv);
    await d.handle(inv);
    expect(local.ran).toEqual([]);
    expect(queue.adds).toBe(2);
    expect(queue.jobs).toEqual([
      {
        id: 'slack:slash:trig.1',
        platform: 'slack',
        workspaceId: 'slack:T1',
        channelId: 'C1',
        userId: 'U1',
        command: 'ask',
        text: 'why?',
        context: [{ role: 'user', content: 'earlier' }],
        address: { kind: 'slash' },
        enqueuedAt: 42,
      },
    ]);
  });

  it('GIVEN a quick admin verb, an unknown verb or a platform without addresses THEN it runs here', async () => {
    const local = recording();
    const queue = createMemoryQueue();
    const d = createQueueingDispatcher({ local, queue, commands: catalog, log, ...timing(createManualClock()) });
    const q = () => ({ id: 'x', address: {} });
    await d.handle(invocation({ command: 'hive', queue: q }));
    await d.handle(invocation({ command: 'nope', queue: q }));
    await d.handle(invocation());
    expect(local.ran).toEqual(['hive', 'nope', 'ask']);
    expect(queue.jobs).toEqual([]);
  });

  it('GIVEN the queue down for 10 s THEN the add is tried again until it takes, and the user hears nothing', async () => {
    const clock = createManualClock();
    const memory = createMemoryQueue();
    const queue = {
      ...memory,
      add: async (job: Parameters<typeof memory.add>[0]) => (clock.now() < 10_000 ? Promise.reject(new Error('connection refused')) : memory.add(job)),
    };
    const replies: Reply[] = [];
    const d = createQueueingDispatcher({ local: recording(), queue, commands: catalog, log, ...timing(clock) });
    await settle(clock, d.handle(invocation({ replies, queue: () => ({ id: 'x', address: {} }) })));
    expect(memory.jobs.map((j) => j.id)).toEqual(['x']);
    expect(replies).toEqual([]);
  });

  it('GIVEN the queue down past the outage wait THEN the user is told once, privately, with an error id, to try again', async () => {
    const clock = createManualClock();
    const queue = { ...createMemoryQueue(), add: async () => Promise.reject(new Error('connection refused')) };
    const replies: Reply[] = [];
    const d = createQueueingDispatcher({ local: recording(), queue, commands: catalog, log, ...timing(clock) });
    await settle(clock, d.handle(invocation({ replies, queue: () => ({ id: 'x', address: {} }) })));
    expect(clock.now()).toBeLessThanOrEqual(60_000);
    expect(clock.now()).toBeGreaterThan(30_000);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ visibility: 'private', tone: 'error' });
    expect(replies[0]!.text).toMatch(/could not take this on right now \(error \w+\)/);
    expect(replies[0]!.text).not.toContain('connection refused');
  });
});
