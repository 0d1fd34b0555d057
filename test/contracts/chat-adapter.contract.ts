import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { ChatAdapter, MessageTarget } from '../../src/chat/chat-adapter.ts';
import { createThreadContext } from '../../src/chat/thread-context.ts';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import type { ActionOffer } from '../../src/chat/answer-actions.ts';

/** One message as a platform's users would see it. */
export interface SeenMessage {
  text: string;
  /** `requester`: only the asker sees it (ephemeral, or a terminal's single reader); `everyone`: the channel. */
  audience: 'requester' | 'everyone';
  threadId?: string;
  edited?: boolean;
}

/** A platform under test: the real adapter, driven through its fake platform. */
export interface ChatPlatformUnderTest {
  adapter: ChatAdapter;
  /** A channel the bot may post in without a request. */
  channel: MessageTarget;
  /** A user sends `/<name> <text>`. */
  command(name: string, text: string): Promise<void>;
  /** A user starts a thread with a question for the bot; resolves with the thread's id. */
  startThread?(text: string): Promise<string>;
  followUp?(threadId: string, text: string): Promise<void>;
  /** The platform delivers the same event twice (a retry). */
  redeliver?(text: string): Promise<void>;
  /** Everything shown so far, in order. */
  seen(): SeenMessage[];
  /** Model calls the fake vendor received (key checks excluded). */
  modelCalls(): FakeRequest[];
  /** One reader sees everything (the terminal): private and channel messages look alike. */
  singleReader?: boolean;
  /** The platform's per-message limit, in characters of text. */
  maxMessageChars?: number;
  /**
   * Answer actions, for platforms that render them (buttons, typed verbs). `offered` lists the offers
   * seen so far on messages, oldest first (a button's value decoded with `decodeAction`); `press`
   * delivers one press as the platform would (as the asker unless `userId` is given) and resolves
   * once the platform acknowledged it, not once it is answered.
   */
  actions?: {
    offered(): ActionOffer[];
    press(offer: ActionOffer, userId?: string): Promise<void>;
    /** The same press delivered again (a retry, a double click with the same interaction). */
    repress?(offer: ActionOffer, userId?: string): Promise<void>;
  };
  /** True if the text as delivered would notify everyone (`<!channel>`, `@here`, …). */
  notifiesEveryone?(text: string): boolean;
  close(): Promise<void>;
}

/** Every scenario of the shared suite; skip entries name one of these, each with its reason. */
export type ChatScenario =
  | 'command answered with its footer'
  | 'private error'
  | 'long answer split within limits'
  | 'mass mentions neutralised'
  | 'thread follow-up with context'
  | 'thread history as neutral turns'
  | 'post without a request'
  | 'redelivered event answered once'
  | 'answer re-run deeper once by a press'
  | 'feedback counted once'
  | 'cancel stops a slow job';

export interface ChatAdapterContractOptions {
  name: string;
  /** Starts the platform with a fake OpenAI that answers through `respond`. */
  start(respond: (req: FakeRequest) => FakeBehaviour): Promise<ChatPlatformUnderTest>;
  skip?: Partial<Record<ChatScenario, string>>;
}

const LONG = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');

/**
 * The one suite every ChatAdapter passes (like hono's shared router cases): the same user-visible
 * behaviour on every platform, each driven through its own fake; a skip states why.
 */
export function runChatAdapterContract(o: ChatAdapterContractOptions): void {
  describe(`ChatAdapter contract: ${o.name}`, () => {
    let p: ChatPlatformUnderTest;
    let answer: (req: FakeRequest) => FakeBehaviour = () => ({ text: '42', usage: { input: 10, output: 2 } });
    beforeAll(async () => {
      p = await o.start((req) => answer(req));
    }, 60_000);
    afterAll(async () => p.close(), 60_000);
    const until = async (pred: (s: SeenMessage[]) => boolean) => expect.poll(() => pred(p.seen()), { timeout: 15_000, interval: 20 }).toBe(true);
    const scenarios: Record<ChatScenario, (ctx: TestContext) => Promise<void>> = {
      'command answered with its footer': async () => {
        answer = () => ({ text: 'The answer is 42.', usage: { input: 10, output: 2 } });
        await p.command('ask', 'what is 6 times 7?');
        await until((s) => s.some((m) => m.text.includes('The answer is 42.') && /\$|cost/i.test(m.text)));
        expect(p.seen().find((m) => m.text.includes('The answer is 42.'))?.text).toMatch(/gpt|openai/i);
      },
      'private error': async () => {
        await p.command('nosuchverb', 'hello');
        await until((s) => s.some((m) => m.text.includes('Unknown command')));
        const shown = p.seen().filter((m) => m.text.includes('Unknown command'));
        expect(shown.length).toBeGreaterThan(0);
        if (!p.singleReader) expect(shown.every((m) => m.audience === 'requester')).toBe(true);
      },
      'long answer split within limits': async () => {
        answer = () => ({ text: LONG, usage: { input: 10, output: 3000 } });
        await p.command('ask', 'count for me');
        await until((s) => s.some((m) => m.text.includes('word1499')));
        const parts = p.seen().filter((m) => /word\d+/.test(m.text));
        expect(parts.length).toBeGreaterThan(1);
        for (const m of parts) expect(m.text.length).toBeLessThanOrEqual(p.maxMessageChars!);
        const words = new Set(parts.flatMap((m) => m.text.match(/word\d+/g) ?? []));
        expect(words.size).toBe(1500);
      },
      'mass mentions neutralised': async () => {
        answer = () => ({ text: 'Hey @channel and @everyone and <!here>, look.', usage: { input: 10, output: 5 } });
        await p.command('ask', 'ping them');
        await until((s) => s.some((m) => m.text.includes('look.')));
        const m = p.seen().find((x) => x.text.includes('look.'))!;
        expect(p.notifiesEveryone!(m.text)).toBe(false);
      },
      'thread follow-up with context': async () => {
        answer = (req) => ({ text: vendorTurns(req) > 1 ? 'follow-up answered' : 'first answer', usage: { input: 10, output: 2 } });
        const thread = await p.startThread!('what is the capital of France?');
        await until((s) => s.some((m) => m.threadId === thread && m.text.includes('first answer')));
        await p.followUp!(thread, 'and of Italy?');
        await until((s) => s.some((m) => m.threadId === thread && m.text.includes('follow-up answered')));
        const last = p.modelCalls().at(-1)!;
        expect(JSON.stringify(last.body)).toContain('what is the capital of France?');
      },
      'thread history as neutral turns': async (ctx) => {
        if (!p.adapter.threadHistory) return ctx.skip('no threadHistory: the core transcripts are its threads’ context');
        answer = () => ({ text: 'Rome is the capital of Italy.', usage: { input: 10, output: 2 } });
        const threadId = await p.startThread!('what is the capital of Italy?');
        await until((s) => s.some((m) => m.threadId === threadId && m.text.includes('Rome is the capital')));
        const ref = { scope: p.channel.workspaceId, channelId: p.channel.channelId, threadId };
        const turns = await p.adapter.threadHistory(ref, 10);
        expect(turns.find((t) => t.text.includes('Rome is the capital'))?.author).toBe('hive');
        const context = await createThreadContext({ platform: p.adapter }).forThread(ref);
        expect(context).toEqual(expect.arrayContaining([{ role: 'assistant', content: expect.stringContaining('Rome is the capital of Italy.') }]));
        expect(JSON.stringify(context)).toContain('what is the capital of Italy?');
        expect(context![0]!.role).toBe('user');
      },
      'post without a request': async () => {
        const ref = await p.adapter.post(p.channel, { text: 'Weekly digest: 3 answers', visibility: 'channel', footer: 'Hive digest' });
        await until((s) => s.some((m) => m.text.includes('Weekly digest: 3 answers') && (p.singleReader || m.audience === 'everyone')));
        await p.adapter.edit(ref, { text: 'Weekly digest: 4 answers', visibility: 'channel' });
        await until((s) => s.some((m) => m.text.includes('Weekly digest: 4 answers')));
        expect(ref.channelId).toBe(p.channel.channelId);
      },
      'redelivered event answered once': async () => {
        answer = () => ({ text: 'once only', usage: { input: 10, output: 2 } });
        const before = p.modelCalls().length;
        await p.redeliver!('say it once');
        await until((s) => s.some((m) => m.text.includes('once only')));
        await new Promise((r) => setTimeout(r, 200));
        expect(p.modelCalls().length - before).toBe(1);
        expect(p.seen().filter((m) => m.text.includes('once only'))).toHaveLength(1);
      },
      'answer re-run deeper once by a press': async (ctx) => {
        if (!p.actions) return ctx.skip('the platform renders no answer actions');
        const a = p.actions;
        answer = (req) => ({ text: `Answered by ${String(req.model)}.`, usage: { input: 10, output: 2 } });
        const offered = a.offered().length;
        await p.command('ask', '--cheap which lane answers this?');
        await expect
          .poll(
            () =>
              a
                .offered()
                .slice(offered)
                .some((o) => o.kind === 'deeper'),
            { timeout: 15_000 },
          )
          .toBe(true);
        const deeper = a
          .offered()
          .slice(offered)
          .find((o) => o.kind === 'deeper')!;
        const before = p.modelCalls().length;
        const cheapModel = String(p.modelCalls().at(-1)!.model);
        await a.press(deeper);
        await until((s) => s.some((m) => m.text.includes('Answered by') && !m.text.includes(`Answered by ${cheapModel}.`)));
        await (a.repress ?? a.press)(deeper);
        await a.press(deeper, 'U0CONTRACTOTHER');
        await until((s) => s.some((m) => /already re-run deeper/.test(m.text)));
        await new Promise((r) => setTimeout(r, 300));
        expect(p.modelCalls().length - before).toBe(1);
      },
      'feedback counted once': async (ctx) => {
        if (!p.actions) return ctx.skip('the platform renders no answer actions');
        const a = p.actions;
        answer = () => ({ text: 'An answer to judge.', usage: { input: 10, output: 2 } });
        const offered = a.offered().length;
        await p.command('ask', 'judge this one');
        await expect
          .poll(
            () =>
              a
                .offered()
                .slice(offered)
                .some((o) => o.kind === 'helpful'),
            { timeout: 15_000 },
          )
          .toBe(true);
        const helpful = a
          .offered()
          .slice(offered)
          .find((o) => o.kind === 'helpful')!;
        await a.press(helpful);
        await until((s) => s.some((m) => /marked helpful/.test(m.text)));
        await (a.repress ?? a.press)(helpful);
        await a.press(helpful);
        await until((s) => s.some((m) => /already marked this answer helpful/.test(m.text)));
        const thanks = p.seen().filter((m) => /Thanks: this answer.*marked helpful/.test(m.text));
        expect(thanks).toHaveLength(1);
        if (!p.singleReader) expect(thanks[0]!.audience).toBe('requester');
      },
      'cancel stops a slow job': async (ctx) => {
        if (!p.actions) return ctx.skip('the platform renders no answer actions');
        const a = p.actions;
        answer = (req) => ({ text: 'too late', usage: { input: 10, output: 2 }, ...(JSON.stringify(req.body).includes('slow') ? { latencyMs: 60_000 } : {}) });
        const offered = a.offered().length;
        await p.command('ask', 'a slow question to cancel');
        await expect
          .poll(
            () =>
              a
                .offered()
                .slice(offered)
                .some((o) => o.kind === 'cancel'),
            { timeout: 15_000 },
          )
          .toBe(true);
        await a.press(
          a
            .offered()
            .slice(offered)
            .find((o) => o.kind === 'cancel')!,
        );
        await until((s) => s.some((m) => /Cancelled by/.test(m.text) && /spent|nothing/.test(m.text)));
        expect(p.seen().some((m) => m.text.includes('too late'))).toBe(false);
      },
    };
    for (const [name, body] of Object.entries(scenarios) as [ChatScenario, (ctx: TestContext) => Promise<void>][]) {
      const reason = o.skip?.[name];
      if (reason) it.skip(`${name} (skipped: ${reason})`, () => undefined);
      else it(name, body, 30_000);
    }
  });
}

/** User turns in a chat.completions request: more than one means the thread's context came along. */
function vendorTurns(req: FakeRequest): number {
  return ((req.body as { messages?: { role: string }[] }).messages ?? []).filter((m) => m.role === 'user').length;
}
