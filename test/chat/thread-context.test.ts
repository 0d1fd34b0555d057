import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { recordExchange } from '../../src/chat/exchange.ts';
import { createThreadContext } from '../../src/chat/thread-context.ts';
import { DEFAULT_THREAD_CONTEXT_LIMITS } from '../../src/chat/thread-context-rules.ts';
import type { ThreadTurn } from '../../src/chat/thread-context-rules.ts';
import { createTranscripts, type ThreadRef, type TranscriptRecord } from '../../src/chat/transcripts.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';

const REF: ThreadRef = { scope: 'T1', channelId: 'C1', threadId: '100.1' };
const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), sink: { write: () => undefined } });
const transcriptsOf = () => createTranscripts({ store: new Keyv<TranscriptRecord>(), ttlMs: 60_000, now: () => new Date(0) });

/** A platform that reads back `turns` (in the order given) and remembers what it was asked. */
function fakePlatform(turns: ThreadTurn[]) {
  const asked: { thread: ThreadRef; limit: number }[] = [];
  return {
    asked,
    threadHistory: async (thread: ThreadRef, limit: number) => {
      asked.push({ thread, limit });
      return turns;
    },
  };
}

describe('thread context: platform history', () => {
  it('GIVEN raw turns newest first THEN the question carries people and Hive oldest first, without bots, errors, private replies or its own message', async () => {
    const platform = fakePlatform([
      { author: 'person', text: 'And Lyon?', at: 6, messageId: 'm6' },
      { author: 'hive', text: 'Only you saw this.', at: 5, visibility: 'private' },
      { author: 'hive', text: '⚠️ Something went wrong', question: 'broken?', at: 4, tone: 'error' },
      { author: 'bot', text: 'beep, I am a bot', at: 3 },
      { author: 'person', text: 'I always mix it up with Lyon.', at: 2 },
      { author: 'person', text: '   ', at: 2 },
      { author: 'hive', text: 'Paris is the capital of France.', question: 'What is the capital of France?', at: 1 },
    ]);
    const context = await createThreadContext({ platform }).forThread(REF, { messageId: 'm6' });
    expect(context).toEqual([
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris is the capital of France.' },
      { role: 'user', content: 'I always mix it up with Lyon.' },
    ]);
    expect(platform.asked).toEqual([{ thread: REF, limit: DEFAULT_THREAD_CONTEXT_LIMITS.maxTurns }]);
  });

  it('GIVEN the platform supplies history THEN the transcripts are not read, and an empty history is no context', async () => {
    const transcripts = transcriptsOf();
    await transcripts.append(REF, [{ role: 'user', content: 'from the transcript' }]);
    expect(await createThreadContext({ platform: fakePlatform([]), transcripts }).forThread(REF)).toEqual([]);
  });

  it('GIVEN turns without times THEN they keep the order the platform gave', async () => {
    const platform = fakePlatform([
      { author: 'person', text: 'first' },
      { author: 'hive', text: 'second' },
    ]);
    expect(await createThreadContext({ platform }).forThread(REF)).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'second' },
    ]);
  });
});

describe('thread context: limits', () => {
  const turns: ThreadTurn[] = Array.from({ length: 10 }, (_, i) => ({ author: 'person', text: `turn ${i}`, at: i }));

  it('GIVEN more turns than the limit THEN the newest are kept, oldest first, and the platform is asked for no more', async () => {
    const platform = fakePlatform(turns);
    const context = await createThreadContext({ platform, limits: { maxTurns: 3 } }).forThread(REF);
    expect(context?.map((m) => m.content)).toEqual(['turn 7', 'turn 8', 'turn 9']);
    expect(platform.asked[0]!.limit).toBe(3);
  });

  it('GIVEN more characters than the limit THEN the newest turns that fit are kept', async () => {
    const context = await createThreadContext({ platform: fakePlatform(turns), limits: { maxChars: 20 } }).forThread(REF);
    expect(context?.map((m) => m.content)).toEqual(['turn 7', 'turn 8', 'turn 9']);
  });

  it('GIVEN no limits THEN the stated defaults apply: 100 turns and 100,000 characters', async () => {
    expect(DEFAULT_THREAD_CONTEXT_LIMITS).toEqual({ maxTurns: 100, maxChars: 100_000 });
    const many: ThreadTurn[] = Array.from({ length: 150 }, (_, i) => ({ author: 'person', text: `t${i}`, at: i }));
    expect(await createThreadContext({ platform: fakePlatform(many) }).forThread(REF)).toHaveLength(100);
    const long: ThreadTurn[] = Array.from({ length: 30 }, (_, i) => ({ author: 'person', text: 'x'.repeat(4_000), at: i }));
    expect(await createThreadContext({ platform: fakePlatform(long) }).forThread(REF)).toHaveLength(25);
  });
});

describe('thread context: falling back to the core transcripts', () => {
  it('GIVEN a platform without history and no transcript THEN nothing is known of the thread', async () => {
    expect(await createThreadContext({ platform: {}, transcripts: transcriptsOf() }).forThread(REF)).toBeUndefined();
    expect(await createThreadContext({}).forThread(REF)).toBeUndefined();
  });

  it('GIVEN recorded exchanges THEN they are the context, trimmed by the same limits', async () => {
    const transcripts = transcriptsOf();
    const conversational = { name: 'ask', conversational: true };
    await recordExchange({ transcripts, log }, REF, conversational, 'What is 6 times 7?', { text: '42', visibility: 'channel' });
    await recordExchange({ transcripts, log }, REF, conversational, 'And 6 times 8?', { text: '48', visibility: 'channel', question: 'And 6 × 8?' });
    const threads = createThreadContext({ platform: {}, transcripts });
    expect(await threads.forThread(REF)).toEqual([
      { role: 'user', content: 'What is 6 times 7?' },
      { role: 'assistant', content: '42' },
      { role: 'user', content: 'And 6 × 8?' },
      { role: 'assistant', content: '48' },
    ]);
    expect(await createThreadContext({ transcripts, limits: { maxTurns: 2 } }).forThread(REF)).toEqual([
      { role: 'user', content: 'And 6 × 8?' },
      { role: 'assistant', content: '48' },
    ]);
  });

  it('GIVEN an error, a private reply or a command a thread cannot continue THEN nothing is recorded', async () => {
    const transcripts = transcriptsOf();
    await recordExchange({ transcripts, log }, REF, { name: 'ask', conversational: true }, 'q1', { text: 'failed', visibility: 'channel', tone: 'error' });
    await recordExchange({ transcripts, log }, REF, { name: 'ask', conversational: true }, 'q2', { text: 'just you', visibility: 'private' });
    await recordExchange({ transcripts, log }, REF, { name: 'hive', quick: true }, 'q3', { text: 'status', visibility: 'channel' });
    await recordExchange({ transcripts, log }, REF, undefined, 'q4', { text: 'unknown', visibility: 'channel' });
    expect(await transcripts.get(REF)).toBeUndefined();
  });
});
