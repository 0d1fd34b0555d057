import { z } from 'zod';
import type { ModelRef } from '../shared/types.ts';
import { candidateLabels } from './synthesis-prompt.ts';
import type { Verdict } from './types.ts';

/** The judge's reply, checked against the candidate labels it was shown. */
export function synthesisSchema(labels: readonly string[]) {
  const label = z.enum(labels as [string, ...string[]]);
  return z.object({
    answer: z.string().trim().min(1),
    agreement: z.enum(['all', 'majority', 'split']),
    agreed: z.array(z.string()).default([]),
    disagreements: z
      .array(
        z.object({
          topic: z.string().trim().min(1),
          sides: z.array(z.object({ candidates: z.array(label).min(1), position: z.string().trim().min(1) })).min(1),
        }),
      )
      .default([]),
  });
}

/** A usable verdict, or the problem to quote in the repair prompt. */
export type SynthesisParse = { ok: true; verdict: Verdict } | { ok: false; problem: string };

/**
 * Reads the judge's reply (tolerating a code fence or stray prose around the object), validates it
 * and maps candidate labels back to the members' models.
 */
export function parseSynthesis(text: string, members: readonly ModelRef[]): SynthesisParse {
  const json = jsonObjectIn(text);
  if (json === undefined) return { ok: false, problem: 'it was not a JSON object.' };
  const labels = candidateLabels(members.length);
  const r = synthesisSchema(labels).safeParse(json);
  if (!r.success) return { ok: false, problem: `it did not match the schema:\n${z.prettifyError(r.error)}` };
  const byLabel = new Map(labels.map((l, i) => [l, members[i]!]));
  const v = r.data;
  return {
    ok: true,
    verdict: {
      method: 'synthesis',
      answer: v.answer,
      agreement: v.agreement,
      pointsOfAgreement: v.agreed.map((p) => p.trim()).filter((p) => p !== ''),
      disagreements: v.disagreements.map((d) => ({
        topic: d.topic,
        sides: d.sides.map((s) => ({ models: [...new Set(s.candidates)].map((l) => byLabel.get(l)!), position: s.position })),
      })),
    },
  };
}

function jsonObjectIn(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}
