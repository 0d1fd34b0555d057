import { PassThrough } from 'node:stream';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { LOCAL_WORKSPACE } from '../../src/keys/key-service.ts';
import { runChatAdapterContract, type SeenMessage } from '../contracts/chat-adapter.contract.ts';
import { startHarness } from '../helpers/hive-harness.ts';
import { ACTION_VERBS, type ActionKind, type ActionOffer } from '../../src/chat/answer-actions.ts';

/** The numbered answers printed so far; a number printed again is an edit. */
function seenOf(out: string): SeenMessage[] {
  const blocks = out.split(/^(?=\[\d+\])/m).filter((b) => b.trim() !== '');
  const numbers = blocks.map((b) => /^\[(\d+)\]/.exec(b)?.[1]);
  // The operator is the terminal's only reader: every answer reaches the requester alone.
  return blocks.map((text, i) => ({ text, audience: 'requester', edited: numbers.indexOf(numbers[i]) < i }));
}

/** Every offer printed so far: each answer's `» /deeper 3 · …` line, and `/cancel 3` in a wait note, with the line's number as its ref. */
function offersOf(out: string): ActionOffer[] {
  const offers: ActionOffer[] = [];
  const verbs = new Map(Object.entries(ACTION_VERBS).map(([kind, verb]) => [verb, kind as ActionKind]));
  for (const m of out.matchAll(/\/([a-z]+) (\d+)/g)) {
    const kind = verbs.get(m[1]!);
    if (kind) offers.push({ kind, ref: `n${m[2]}nnnnn` });
  }
  return offers;
}

/** The answer number an offer read from the output stands for. */
function numberOf(_out: string, offer: ActionOffer): string {
  return /^n(\d+)n+$/.exec(offer.ref)![1]!;
}

runChatAdapterContract({
  name: 'terminal',
  async start(respond) {
    const h = await startHarness({ vendors: { openai: respond } });
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    const adapter = createTerminalAdapter({ input, output, dispatcher: h.hive.host.dispatcher, log: h.hive.host.log });
    await adapter.start();
    return {
      adapter,
      channel: { workspaceId: LOCAL_WORKSPACE, channelId: 'terminal' },
      async command(name, text) {
        input.write(`/${name} ${text}\n`);
      },
      seen: () => seenOf(out),
      singleReader: true,
      actions: {
        offered: () => offersOf(out),
        // A press at the terminal is the verb typed with the answer's number.
        async press(offer) {
          const n = numberOf(out, offer);
          input.write(`/${ACTION_VERBS[offer.kind]} ${n}\n`);
        },
      },
      modelCalls: () => (h.vendors.openai?.requests ?? []).filter((r) => r.path.includes('/chat/completions')),
      async close() {
        input.end();
        await adapter.stop();
        await h.close();
      },
    };
  },
  skip: {
    'long answer split within limits': 'a terminal has no message size limit; answers print whole',
    'mass mentions neutralised': 'a terminal has no mentions to notify anyone with',
    'thread follow-up with context': 'the terminal has no threads; each line is its own job',
    'redelivered event answered once': 'standard input is read once; there is no redelivery',
  },
});
