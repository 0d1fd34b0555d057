import { describe, expect, it } from 'vitest';
import { CANARY, assertNoCanary, startHarness } from '../helpers/hive-harness.ts';
import { createScaledClock } from '../helpers/scaled-clock.ts';

describe('canary keys never appear in plaintext', () => {
  it('GIVEN keys registered, used, failing and listed on SQLite THEN no log, reply, evidence or data byte holds them', async () => {
    let calls = 0;
    const h = await startHarness({
      store: 'sqlite',
      clock: createScaledClock(1000),
      vendors: {
        openai: {
          validKeys: [CANARY.openai, 'sk-canary-SLACK-T1-0123456789abcdefgh'],
          respond: (req) => (req.model && calls++ === 1 ? { status: 401 } : { text: 'ok' }),
        },
        anthropic: () => ({ text: 'ok' }),
      },
    });
    try {
      const slackKey = 'sk-canary-SLACK-T1-0123456789abcdefgh';
      await h.hive.keys.register('slack:T1', 'openai', slackKey, { verify: true });
      await expect(h.hive.keys.register('slack:T1', 'openai', 'sk-canary-WRONG-0123456789abcdefghij', { verify: true })).rejects.toThrow(
        /OpenAI rejected this key/,
      );
      await h.run('/ask --model openai:gpt-6-luna first');
      const failed = await h.run('/ask --model openai:gpt-6-luna second');
      expect(failed.tone).toBe('error');
      await h.run('/hive keys list');
      await h.run('/hive keys set sk-canary-PASTED-0123456789abcdefghij');
      const ev = /evidence (\w+)/.exec((await h.run('/ask --model anthropic:claude-haiku-4-5 third')).footer!)![1]!;
      const view = await h.hive.evidence.get(ev, 'local');
      assertNoCanary(JSON.stringify(view), 'evidence');
      for (const k of [slackKey, 'sk-canary-WRONG-0123456789abcdefghij', 'sk-canary-PASTED-0123456789abcdefghij']) {
        expect(h.logs.join('\n')).not.toContain(k);
      }
      expect(h.hive.secrets.scrub(`x ${slackKey} y`)).not.toContain(slackKey);
    } finally {
      await h.close(); // scans logs, replies and every byte of the data folder
    }
  });
});
