import { describe, expect, it } from 'vitest';
import { agreementLine } from '../../src/consensus/agreement.ts';
import { extractAnswer } from '../../src/models/answer-extract.ts';
import type { MemberOutcome } from '../../src/consensus/types.ts';
import { voteVerdict } from '../../src/consensus/vote.ts';
import type { ModelRef } from '../../src/shared/types.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';

const A: ModelRef = { vendor: 'anthropic', model: 'claude-x' };
const O: ModelRef = { vendor: 'openai', model: 'gpt-x' };
const G: ModelRef = { vendor: 'google', model: 'gemini-x' };

describe('extracting short answers', () => {
  it.each([
    ['42', 'number:42'],
    ['**42**', 'number:42'],
    ['6 times 7 is **42**.', 'number:42'],
    ['6 × 7 = 42', 'number:42'],
    ['The answer is 42.', 'number:42'],
    ['1,000', 'number:1000'],
    ['$1000.00', 'number:1000'],
    ['50%', 'number:50%'],
    ['Yes.', 'yes_no:yes'],
    ['No, 6 times 7 is 42.', 'yes_no:no'],
    ['true', 'yes_no:yes'],
    ['(B)', 'choice:B'],
    ['Option c', 'choice:C'],
    ['The answer is B.', 'choice:B'],
    ['Paris.', 'word:paris'],
    ['**New York**', 'word:new york'],
  ])('GIVEN %j THEN it reads as %s', (text, key) => {
    expect(extractAnswer(text)?.key).toBe(key);
  });

  it.each([
    ['The capital of France is Paris, a city of about two million people.'],
    ['It depends on the data: PostgreSQL for relational work, MongoDB for documents.'],
    ['6 times 7 equals 42, which is even'],
    ['Nothing certain, it depends.'],
    ['x'.repeat(200)],
    [''],
  ])('GIVEN prose or an unclear answer %j THEN nothing is extracted (it goes to synthesis)', (text) => {
    expect(extractAnswer(text)).toBeUndefined();
  });
});

describe('voting', () => {
  it('GIVEN three equal answers in different words THEN all agree and no extra call is needed', () => {
    const v = voteVerdict([
      { ref: A, text: '42' },
      { ref: O, text: 'The answer is 42.' },
      { ref: G, text: '**42**' },
    ]);
    expect(v).toMatchObject({ method: 'vote', agreement: 'all', answer: '42', disagreements: [] });
  });

  it('GIVEN two against one THEN a majority, with the dissenter on its own side', () => {
    const v = voteVerdict([
      { ref: A, text: '42' },
      { ref: O, text: '41' },
      { ref: G, text: '42' },
    ])!;
    expect(v.agreement).toBe('majority');
    expect(v.disagreements[0]!.sides).toEqual([
      { models: [A, G], position: '42' },
      { models: [O], position: '41' },
    ]);
  });

  it('GIVEN three different answers THEN a split with every side listed', () => {
    const v = voteVerdict([
      { ref: A, text: 'A' },
      { ref: O, text: 'B' },
      { ref: G, text: 'C' },
    ])!;
    expect(v.agreement).toBe('split');
    expect(v.disagreements[0]!.sides.map((s) => s.models)).toEqual([[A], [O], [G]]);
  });

  it('GIVEN any prose answer THEN no vote', () => {
    expect(
      voteVerdict([
        { ref: A, text: '42' },
        { ref: O, text: 'Well, it depends on what you are multiplying and in which base.' },
      ]),
    ).toBeUndefined();
  });
});

describe('agreement line', () => {
  const ok = (ref: ModelRef, text: string): MemberOutcome => ({ ref, status: 'ok', text, latencyMs: 1, costUsd: 0, usage: ZERO_USAGE, calls: [] });

  it('GIVEN everyone agrees THEN n/n agree', () => {
    const members = [ok(A, '42'), ok(O, '42'), ok(G, '42')];
    expect(agreementLine(voteVerdict(members.map((m) => ({ ref: m.ref, text: m.text! })))!, members)).toBe('3/3 agree');
  });

  it('GIVEN one dissenter THEN it is named with what it differs on', () => {
    const members = [ok(A, '42'), ok(O, '42'), ok(G, '41')];
    expect(agreementLine(voteVerdict(members.map((m) => ({ ref: m.ref, text: m.text! })))!, members)).toBe('2/3 agree — gemini-x differs on the answer (41)');
  });

  it('GIVEN a failed member THEN the line says so', () => {
    const members: MemberOutcome[] = [ok(A, '42'), ok(O, '42'), { ...ok(G, ''), status: 'failed', reason: 'overloaded' }];
    const v = voteVerdict([
      { ref: A, text: '42' },
      { ref: O, text: '42' },
    ])!;
    expect(agreementLine(v, members)).toBe('2/2 agree (gemini-x failed)');
  });
});
