import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/args.ts';
import { UserError } from '../../src/errors.ts';

const spec = { cheap: 'boolean', model: 'string' } as const;

describe('parseArgs', () => {
  it('reads leading flags and keeps the rest verbatim', () => {
    expect(parseArgs('--model openai:gpt-4o-mini What is 6 times 7?', spec, 'u')).toEqual({ flags: { model: 'openai:gpt-4o-mini' }, rest: 'What is 6 times 7?' });
    expect(parseArgs('--cheap  explain --verbose flags', spec, 'u')).toEqual({ flags: { cheap: true }, rest: 'explain --verbose flags' });
    expect(parseArgs('--model=google:gemini-2.5-flash hi', spec, 'u').flags.model).toBe('google:gemini-2.5-flash');
    expect(parseArgs('-- --cheap is a flag', spec, 'u')).toEqual({ flags: {}, rest: '--cheap is a flag' });
  });

  it('refuses unknown flags and missing values with the usage', () => {
    expect(() => parseArgs('--fast hi', spec, 'USAGE')).toThrow(UserError);
    expect(() => parseArgs('--fast hi', spec, 'USAGE')).toThrow(/Unknown option --fast[\s\S]*USAGE/);
    expect(() => parseArgs('--model', spec, 'USAGE')).toThrow(/needs a value/);
    expect(() => parseArgs('--cheap=1 x', spec, 'USAGE')).toThrow(/takes no value/);
  });
});
