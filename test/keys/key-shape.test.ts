import { describe, expect, it } from 'vitest';
import { validateKeyShape } from '../../src/keys/key-shape.ts';

/** The refusal a key gets, or '' when it is accepted. */
function refusal(vendor: 'anthropic' | 'openai' | 'google', key: string): string {
  try {
    validateKeyShape(vendor, key);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('a key of the wrong length', () => {
  it('GIVEN a cut-off key THEN the refusal says how long it is and what a key of that vendor looks like, without repeating it', () => {
    const message = refusal('openai', 'sk-abc123');
    expect(message).toBe(
      'That does not look like an OpenAI API key: it is 9 characters long; OpenAI keys start with sk- and are about 50 to 170 characters. Copy the whole key.',
    );
    expect(message).not.toContain('abc123');
    expect(refusal('google', 'AIzaShort')).toMatch(/Google Gemini keys start with AIza and are 39 characters\. Copy the whole key\.$/);
    expect(refusal('anthropic', 'sk-ant-x')).toMatch(/Anthropic keys start with sk-ant- and are about 108 characters/);
  });

  it('GIVEN several keys pasted as one THEN the refusal says to paste one alone', () => {
    expect(refusal('openai', `sk-${'a'.repeat(600)}`)).toMatch(/it is 603 characters long; .* Paste one key alone\.$/);
  });

  it('GIVEN keys of the usual shapes THEN they are accepted', () => {
    expect(refusal('openai', `sk-proj-${'a'.repeat(156)}`)).toBe('');
    expect(refusal('google', `AIza${'b'.repeat(35)}`)).toBe('');
  });
});
