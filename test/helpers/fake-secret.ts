/**
 * Builds a credential-shaped test value from its prefix and body, so that no literal in the
 * repository looks like a real key or token to secret scanners, while the value at run time still
 * has the shape the scrubbers and vendors expect.
 */
export function fakeSecret(prefix: 'sk-ant-' | 'sk-' | 'AIza' | 'xoxb-', body: string): string {
  return `${prefix}${body}`;
}

/** A key as someone would paste it into a chat message (an OpenAI project key's shape), plainly a test value. */
export const PASTED_KEY = fakeSecret('sk-', 'proj-canaryPASTED0123456789abcdefghijk');
