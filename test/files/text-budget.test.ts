import { describe, expect, it } from 'vitest';
import { keepEnds, shareBudget } from '../../src/files/text-budget.ts';
import { textMediaType } from '../../src/files/text-content.ts';

describe('text budget', () => {
  it('GIVEN texts of several lengths THEN short ones are kept whole and the long ones share the rest equally', () => {
    expect(shareBudget([10, 1000, 1000], 610)).toEqual([10, 300, 300]);
    expect(shareBudget([10, 20], 100)).toEqual([10, 20]);
    expect(shareBudget([50], -5)).toEqual([0]);
  });

  it('GIVEN a log cut to fit THEN its start and (mostly) its end are kept at line breaks, with a marker', () => {
    const log = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const fitted = keepEnds(log, 364, 2 / 3);
    expect(fitted.text.startsWith('line 0\nline 1\n')).toBe(true);
    expect(fitted.text.endsWith('line 999')).toBe(true);
    expect(fitted.text).toMatch(/\n\[… [\d,]+ characters left out here to fit …\]\nline \d+\n/);
    expect(fitted.text.length).toBeLessThanOrEqual(364);
    expect(fitted.omitted).toBe(log.length - fitted.text.length + fitted.text.match(/\n\[…[^\]]*\]\n/)![0].length);
  });

  it('GIVEN a cut inside an emoji THEN no half of it is left', () => {
    const text = '😀'.repeat(200);
    const fitted = keepEnds(text, 164, 0.5);
    expect(fitted.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('GIVEN no room THEN the whole text is left out', () => {
    expect(keepEnds('abc'.repeat(100), 10, 0.5)).toEqual({ text: '', omitted: 300 });
  });
});

describe('text kinds, from the content', () => {
  it.each([
    ['{"a": [1, 2]}', 'application/json'],
    ['{"a":1}\n{"a":2}\n{"a":3}\n', 'application/x-ndjson'],
    ['id,name\n1,bolt\n2,nut\n', 'text/csv'],
    ['id\tname\n1\tbolt\n2\tnut\n', 'text/tab-separated-values'],
    ['# Title\n\nSome prose.\n', 'text/markdown'],
    ['<?xml version="1.0"?><a/>', 'application/xml'],
    ['<!DOCTYPE html><html></html>', 'text/html'],
    ['Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad\n', 'text/plain'],
    ['export const a = 1;\n', 'text/plain'],
  ])('GIVEN %j THEN it is %s', (text, type) => {
    expect(textMediaType(text)).toBe(type);
  });
});
