import { PassThrough } from 'node:stream';
import { createTerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { LOCAL_WORKSPACE } from '../../src/keys/key-service.ts';
import { runChatAdapterContract, type SeenMessage } from '../contracts/chat-adapter.contract.ts';
import { startHarness } from '../helpers/hive-harness.ts';

/** The numbered answers printed so far; a number printed again is an edit. */
function seenOf(out: string): SeenMessage[] {
  const blocks = out.split(/^(?=\[\d+\])/m).filter((b) => b.trim() !== '');
  const numbers = blocks.map((b) => /^\[(\d+)\]/.exec(b)?.[1]);
  // The operator is the terminal's only reader: every answer reaches the requester alone.
  return blocks.map((text, i) => ({ text, audience: 'requester', edited: numbers.indexOf(numbers[i]) < i }));
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
