import { describe, expect, it } from 'vitest';
import { createAnswerCache } from '../../src/chat/answer-cache.ts';
import { createCommandCatalog } from '../../src/command/dispatch.ts';
import { createDeliveryClaims } from '../../src/chat/delivery-claims.ts';
import { createLiveReply, type LiveDraft } from '../../src/chat/live-reply.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { createCommands } from '../../commands/index.ts';

const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), sink: { write: () => undefined } });
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('the shared live reply', () => {
  it('GIVEN a slow streaming job THEN the placeholder is posted after the delay, edited at most once per interval, and the final write lands', async () => {
    const clock = createManualClock(0);
    const writes: { at: number; op: string; text: string }[] = [];
    const live = createLiveReply<string>({
      clock,
      delayMs: 1000,
      intervalMs: 500,
      auto: true,
      log,
      sink: {
        post: async (d: LiveDraft) => {
          writes.push({ at: clock.now(), op: 'post', text: d.streamed });
          return 'm1';
        },
        edit: async (ref, d) => void writes.push({ at: clock.now(), op: `edit ${ref}`, text: d.streamed }),
      },
    });
    live.stream('a');
    await clock.advance(1000);
    await flush();
    for (const d of ['b', 'c', 'd']) live.stream(d);
    await clock.advance(100);
    await flush();
    live.stream('e');
    await clock.advance(400);
    await flush();
    const ref = await live.settle();
    const final = live.gate.final(async () => void writes.push({ at: clock.now(), op: `final ${ref}`, text: 'answer' }));
    live.stream('dropped after settle');
    await clock.advance(500);
    await final;
    expect(writes.map((w) => w.op)).toEqual(['post', 'edit m1', 'final m1']);
    expect(writes[0]).toMatchObject({ at: 1000, text: 'a' });
    expect(writes[1]).toMatchObject({ at: 1500, text: 'abcde' });
    expect(writes[2]!.at).toBeGreaterThanOrEqual(2000);
  });

  it('GIVEN a quick job THEN no placeholder is ever posted', async () => {
    const clock = createManualClock(0);
    const posts: LiveDraft[] = [];
    const live = createLiveReply<string>({
      clock,
      delayMs: 1000,
      intervalMs: 500,
      auto: true,
      log,
      sink: { post: async (d) => String(posts.push(d)), edit: async () => undefined },
    });
    expect(await live.settle()).toBeUndefined();
    await clock.advance(5000);
    expect(posts).toEqual([]);
  });
});

describe('the shared chat helpers', () => {
  it('GIVEN more distinct answers than the cache holds THEN it stays bounded, and answers expire', () => {
    let t = 0;
    const cache = createAnswerCache<boolean>({ ttlMs: 100, maxEntries: 3, now: () => t });
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, true);
    expect(['a', 'b', 'c', 'd'].map((k) => cache.get(k))).toEqual([undefined, true, true, true]);
    t = 100;
    expect(cache.get('d')).toBeUndefined();
  });

  it('GIVEN the commands THEN which are quick or conversational is a property of each command', () => {
    const catalog = createCommandCatalog(createCommands());
    expect(catalog.find('hive')).toMatchObject({ quick: true });
    expect(catalog.find('ask')).toMatchObject({ conversational: true });
    expect(catalog.find('consensus')).toMatchObject({ conversational: true });
    expect(catalog.find('hive')?.conversational).toBeUndefined();
    expect(catalog.find('nope')).toBeUndefined();
  });

  it('GIVEN the same delivery twice THEN only the first claim wins, and long ids are stored by digest', async () => {
    const taken = new Set<string>();
    const claims = createDeliveryClaims({ claim: async (k) => !taken.has(k) && Boolean(taken.add(k)) }, 'demo');
    expect(await claims.claim('event', 'E1', 1000)).toBe(true);
    expect(await claims.claim('event', 'E1', 1000)).toBe(false);
    expect(claims.keyOf('event', 'E1')).toBe('demo:event:E1');
    expect(claims.keyOf('event', 'x'.repeat(500))).toMatch(/^demo:event:sha256:[0-9a-f]{64}$/);
  });
});
