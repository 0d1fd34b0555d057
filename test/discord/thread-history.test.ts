import type { Message, ThreadChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { readThreadTurns } from '../../adapters/chat/discord/history.ts';
import { createThreadContext } from '../../src/chat/thread-context.ts';

const BOT = '100';
const REF = { scope: 'g1', channelId: 'c1', threadId: '900' };

/** A message as discord.js holds it: only what the history reads. */
const message = (id: number, author: { id: string; bot?: boolean }, content: string) =>
  ({ id: String(id), createdTimestamp: id, author: { bot: false, ...author }, content }) as unknown as Message;

/** A thread whose starter is Hive's answer and whose messages come newest first, as Discord returns them. */
function fakeThread(starter: Message, newestFirst: Message[], asked: number[]): ThreadChannel {
  return {
    fetchStarterMessage: async () => starter,
    messages: {
      fetch: async ({ limit }: { limit: number }) => {
        asked.push(limit);
        return new Map(newestFirst.slice(0, limit).map((m) => [m.id, m]));
      },
    },
  } as unknown as ThreadChannel;
}

describe('Discord thread history: raw turns for the core', () => {
  const starter = message(900, { id: BOT }, '> What is the capital of France?\nParis is the capital of France.\n-# gpt-6-luna · $0.001');
  const later = [
    message(905, { id: '7' }, `<@${BOT}> And Lyon?`),
    message(904, { id: BOT }, '⚠️ Something went wrong on our side (error e1).'),
    message(903, { id: '8', bot: true }, 'beep, I am a bot'),
    message(902, { id: '7' }, 'I always mix it up with Lyon.'),
  ];

  it('GIVEN Hive’s answer, an error, another bot and people THEN each is one neutral turn, oldest first, Hive’s footer dropped and mention stripped', async () => {
    const asked: number[] = [];
    const turns = await readThreadTurns(fakeThread(starter, later, asked), BOT, 100);
    expect(turns).toEqual([
      { author: 'hive', at: 900, messageId: '900', text: 'Paris is the capital of France.', question: 'What is the capital of France?', tone: 'normal' },
      { author: 'person', at: 902, messageId: '902', text: 'I always mix it up with Lyon.' },
      { author: 'bot', at: 903, messageId: '903', text: 'beep, I am a bot' },
      { author: 'hive', at: 904, messageId: '904', text: '⚠️ Something went wrong on our side (error e1).', tone: 'error' },
      { author: 'person', at: 905, messageId: '905', text: 'And Lyon?' },
    ]);
    expect(asked).toEqual([100]);
  });

  it('GIVEN those turns through the core THEN the question carries the answer and the person, never the bot, the error or itself', async () => {
    const thread = fakeThread(starter, later, []);
    const threads = createThreadContext({ platform: { threadHistory: (_ref, limit) => readThreadTurns(thread, BOT, limit) } });
    expect(await threads.forThread(REF, { messageId: '905' })).toEqual([
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris is the capital of France.' },
      { role: 'user', content: 'I always mix it up with Lyon.' },
    ]);
  });
});
