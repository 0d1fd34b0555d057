import type { FakeBehaviour, FakeRequest } from './types.ts';

/** The short ids (`m3`) of the messages in a digest call's data, in order. */
export function idsIn(text: string): string[] {
  return [...text.matchAll(/^\[(m\d+)\]/gm)].map((m) => m[1]!);
}

/**
 * What a digest model that does its job answers to a call's data: one decision citing the first
 * message and one action (owned by Bob) citing the last; for a merge, the ids its parts cite.
 */
export function honestPoints(text: string): string {
  const ids = idsIn(text);
  const cited = ids.length > 0 ? ids : [...text.matchAll(/"(m\d+)"/g)].map((m) => m[1]!);
  return JSON.stringify({
    decisions: [{ text: 'Ship the release on Friday', ids: [cited[0] ?? 'm1'] }],
    actions: [{ text: 'Write the release notes', owner: 'Bob', ids: [cited.at(-1) ?? 'm1'] }],
    questions: [],
    threads: [],
  });
}

/** The honest digest model as a fake vendor's answer, with fixed usage (tests price it exactly). */
export const honestDigest = (req: FakeRequest): FakeBehaviour => ({ text: honestPoints(req.lastUserText), usage: { input: 500, output: 60 } });
