import { describe, expect, it } from 'vitest';
import { formatLatency, formatUsd, groupThousands, renderFooter } from '../../src/money/footer.ts';

describe('footer', () => {
  it('GIVEN the documented example THEN it renders exactly', () => {
    const line = renderFooter({
      models: ['gpt-6-luna'],
      lane: 'balanced',
      laneReason: 'default',
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: 0.00045,
      latencyMs: 812,
      evidenceId: '01JD0000000000000000000000',
    });
    expect(line).toBe('gpt-6-luna · balanced (default) · 1,000→500 tok · $0.00045 · 0.8 s · evidence 01JD0000000000000000000000');
  });

  it.each([
    [0.00045, '$0.00045'],
    [0.0004, '$0.00040'],
    [0.012, '$0.012'],
    [0.1, '$0.10'],
    [1.234, '$1.23'],
    [12.5, '$12.50'],
    [0.0999, '$0.10'],
    [0.00000555, '$0.0000056'],
    // Half-up on the exact amount, whatever the binary double says: both of these end in a 5.
    [0.00155, '$0.0016'],
    [0.00305, '$0.0031'],
    [0.125, '$0.13'],
    [2.675, '$2.68'],
    [0.0000000025, '$0.0000000025'],
    [0, '$0.00'],
  ])('GIVEN %f dollars THEN %s (at least two significant digits)', (usd, text) => {
    expect(formatUsd(usd)).toBe(text);
  });

  it('GIVEN an unknown price THEN it says cost unknown, and notes are shown before the evidence id', () => {
    const line = renderFooter({
      models: ['x'],
      lane: 'cheap',
      laneReason: '--cheap',
      inputTokens: 1,
      outputTokens: 2,
      costUsd: undefined,
      latencyMs: 45,
      evidenceId: 'E',
      notes: ['via openai (anthropic overloaded)'],
    });
    expect(line).toBe('x · cheap (--cheap) · 1→2 tok · cost unknown · 45 ms · via openai (anthropic overloaded) · evidence E');
  });

  it('formats latency', () => {
    expect(formatLatency(99)).toBe('99 ms');
    expect(formatLatency(1500)).toBe('1.5 s');
  });
});

describe('groupThousands', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [200001, '200,001'],
  ])('%d → %s', (n, s) => {
    expect(groupThousands(n)).toBe(s);
  });
});
