import { describe, expect, it } from 'vitest';
import { parseArgs, shown } from '../../src/chat/args.ts';
import { UserError } from '../../src/shared/errors.ts';

const spec = { cheap: 'boolean', model: 'string' } as const;

describe('parseArgs', () => {
  it('reads leading flags and keeps the rest verbatim', () => {
    expect(parseArgs('--model openai:gpt-6-luna What is 6 times 7?', spec, 'u')).toEqual({
      flags: { model: 'openai:gpt-6-luna' },
      rest: 'What is 6 times 7?',
    });
    expect(parseArgs('--cheap  explain --verbose flags', spec, 'u')).toEqual({ flags: { cheap: true }, rest: 'explain --verbose flags' });
    expect(parseArgs('--model=google:gemini-2.5-flash hi', spec, 'u').flags.model).toBe('google:gemini-2.5-flash');
    expect(parseArgs('-- --cheap is a flag', spec, 'u')).toEqual({ flags: {}, rest: '--cheap is a flag' });
  });

  it('reads a `--` autocorrected to an em dash, en dash or minus sign before a known flag as `--`', () => {
    expect(parseArgs('\u2014cheap hi', spec, 'u')).toEqual({ flags: { cheap: true }, rest: 'hi' });
    expect(parseArgs('\u2013model openai:gpt-6-luna hi', spec, 'u')).toEqual({ flags: { model: 'openai:gpt-6-luna' }, rest: 'hi' });
    expect(parseArgs('\u2212model=openai:x \u2014CHEAP hi', spec, 'u')).toEqual({ flags: { model: 'openai:x', cheap: true }, rest: 'hi' });
    expect(parseArgs('\u2014cheap', spec, 'u')).toEqual({ flags: { cheap: true }, rest: '' });
  });

  it('leaves a dash before anything but a known flag as text', () => {
    expect(parseArgs('\u2014fast is it?', spec, 'u')).toEqual({ flags: {}, rest: '\u2014fast is it?' });
    expect(parseArgs('\u2014 cheap thoughts', spec, 'u')).toEqual({ flags: {}, rest: '\u2014 cheap thoughts' });
    expect(parseArgs('\u2014cheaper hi', spec, 'u')).toEqual({ flags: {}, rest: '\u2014cheaper hi' });
    expect(parseArgs('--cheap why \u2014model matters', spec, 'u')).toEqual({ flags: { cheap: true }, rest: 'why \u2014model matters' });
  });

  it('refuses unknown flags and missing values with the usage', () => {
    expect(() => parseArgs('--fast hi', spec, 'USAGE')).toThrow(UserError);
    expect(() => parseArgs('--fast hi', spec, 'USAGE')).toThrow(/Unknown option --fast[\s\S]*USAGE/);
    expect(() => parseArgs('--model', spec, 'USAGE')).toThrow(/needs a value/);
    expect(() => parseArgs('--cheap=1 x', spec, 'USAGE')).toThrow(/takes no value/);
  });

  it('refuses a flag given twice, and never takes an inherited name such as --constructor for a flag', () => {
    expect(() => parseArgs('--model openai:a --model openai:b hi', spec, 'USAGE')).toThrow(/--model is given twice[\s\S]*USAGE/);
    expect(() => parseArgs('--constructor hi', spec, 'USAGE')).toThrow(/Unknown option --constructor/);
  });

  it('echoes at most a short, printable piece of a bad option', () => {
    const long = `--${'a'.repeat(100_000)} hi`;
    let message = '';
    try {
      parseArgs(long, spec, 'USAGE');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Unknown option --a{38}…\.\nUsage: USAGE$/);
    expect(shown('a\u0000b\u202Ec\uD800')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(shown('👩‍👩‍👧 ok')).toBe('👩‍👩‍👧 ok');
  });
});
