import { describe, expect, it } from 'vitest';
import { autoLane } from '../../src/routing/auto-lane.ts';
import { planRoute } from '../../src/routing/router.ts';
import { DEFAULT_LANES } from '../../src/models/default-lanes.ts';
import { pickMembers } from '../../src/consensus/members.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { inWords, TYPED_CHAT_WORDS } from '../../src/chat/chat-words.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected a refusal');
};

describe('automatic lane rules', () => {
  it.each([
    ['What is 6 times 7?', 'cheap', 'auto: short question'],
    ['Summarize this thread for the standup', 'cheap', 'auto: simple task'],
    ['Translate to German: the build is green', 'cheap', 'auto: simple task'],
    ['Classify these tickets by severity: ...', 'cheap', 'auto: simple task'],
    ['Debug why the worker leaks memory after deploy', 'deep', 'auto: hard reasoning'],
    ['Prove that this invariant holds for all n', 'deep', 'auto: hard reasoning'],
    ['What are the trade-offs between Kafka and SQS for our event bus?', 'deep', 'auto: hard reasoning'],
    ['Can you review this?\n```ts\nconst x = 1;\n```', 'balanced', 'auto: code'],
    ['Why is `const total = items.reduce((a, b) => a + b)` returning NaN in our report job when the list is empty?', 'balanced', 'auto: code'],
    ['x'.repeat(2500), 'balanced', 'auto: long request'],
    [
      'Please write a short announcement for the team about the new on-call rotation starting Monday, mention the handover doc, the escalation policy, and thank Priya for organising it.',
      'balanced',
      'auto: general',
    ],
  ])('%s → %s', (text, lane, reason) => {
    expect(autoLane(text)).toEqual({ lane, reason });
  });

  it('GIVEN precedence THEN flag beats command default beats workspace default beats auto', () => {
    const usable = new Set(['anthropic', 'openai', 'google'] as const);
    const text = 'Summarize this';
    expect(planRoute(builtInPrices, { lane: 'deep', commandLane: 'cheap', text }, DEFAULT_LANES, usable)).toMatchObject({ lane: 'deep', reason: '--deep' });
    expect(planRoute(builtInPrices, { commandLane: 'cheap', workspaceLane: { lane: 'deep', scope: 'workspace' }, text }, DEFAULT_LANES, usable)).toMatchObject({
      lane: 'cheap',
      reason: 'command default',
    });
    expect(planRoute(builtInPrices, { workspaceLane: { lane: 'deep', scope: 'channel' }, text }, DEFAULT_LANES, usable)).toMatchObject({
      lane: 'deep',
      reason: 'channel default',
    });
    expect(planRoute(builtInPrices, { text }, DEFAULT_LANES, usable)).toMatchObject({ lane: 'cheap', reason: 'auto: simple task' });
  });

  it('GIVEN keys for some vendors THEN the plan lists only their models, in lane order', () => {
    const plan = planRoute(builtInPrices, { lane: 'cheap' }, DEFAULT_LANES, new Set(['openai', 'google'] as const));
    expect(plan.candidates.map((c) => c.vendor)).toEqual(['google', 'openai']);
    expect(() => planRoute(builtInPrices, { lane: 'deep' }, DEFAULT_LANES, new Set<Vendor>())).toThrow(/No usable key for the deep lane/);
  });

  it('GIVEN no usable key THEN /ask and /consensus refuse in the same words, naming the chat and the shell fix', () => {
    const usable = new Set<Vendor>();
    const ask = messageOf(() => planRoute(builtInPrices, { lane: 'deep' }, DEFAULT_LANES, usable));
    expect(messageOf(() => pickMembers({ lane: 'deep' }, DEFAULT_LANES, usable))).toBe(ask);
    const words = (text: string) => inWords(text, TYPED_CHAT_WORDS, 'slack:T1');
    expect(words(ask)).toContain('`/hive keys` (a private form), or at a shell `npm run hive -- keys set --workspace slack:T1 --vendor openai`');
    // Every lane uses the same vendors: no other lane can answer, so none is suggested.
    expect(words(ask)).not.toMatch(/lane \(--/);
    const named = messageOf(() => pickMembers({ models: [{ vendor: 'openai', model: 'gpt-x' }] }, DEFAULT_LANES, usable));
    expect(named).toBe(
      messageOf(() => planRoute(builtInPrices, { model: { vendor: 'openai', model: 'gpt-x' } }, DEFAULT_LANES, usable)).replace(
        /\.$/,
        ', or leave that model out.',
      ),
    );
    expect(inWords(named, TYPED_CHAT_WORDS, 'slack:T1')).toContain('--vendor openai`');
  });

  it('GIVEN a lane without a usable key and another lane with one THEN only that lane is suggested, by its flag', () => {
    const lanes = { ...DEFAULT_LANES, deep: DEFAULT_LANES.deep.filter((m) => m.vendor === 'anthropic') };
    const cheapOnly = { ...lanes, balanced: lanes.deep, cheap: DEFAULT_LANES.cheap };
    const text = inWords(
      messageOf(() => planRoute(builtInPrices, { lane: 'deep' }, cheapOnly, new Set<Vendor>(['openai']))),
      TYPED_CHAT_WORDS,
      'slack:T1',
    );
    expect(text).toContain('or pick the cheap lane (--cheap).');
    expect(text).not.toContain('balanced');
  });
});
