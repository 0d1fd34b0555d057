import type { ModelRef } from '../shared/types.ts';
import { endWords } from '../routing/failure-words.ts';
import type { Disagreement, MemberOutcome, Verdict } from './types.ts';

const key = (r: ModelRef) => `${r.vendor}:${r.model}`;

/** `a`, `a and b`, `a, b and c`. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/** Models on a side other than the largest one, with the first point they differ on. */
export function dissenters(disagreements: readonly Disagreement[]): Map<string, { ref: ModelRef; topic: string; position: string }> {
  const out = new Map<string, { ref: ModelRef; topic: string; position: string }>();
  for (const d of disagreements) {
    const largest = d.sides.reduce((a, b) => (b.models.length > a.models.length ? b : a), d.sides[0]!);
    for (const side of d.sides) {
      if (side === largest) continue;
      for (const ref of side.models) if (!out.has(key(ref))) out.set(key(ref), { ref, topic: d.topic, position: side.position });
    }
  }
  return out;
}

/**
 * The one line that says how far the panel agrees: `3/3 agree`, `2/3 agree — gemini-2.5-pro
 * differs on the answer (41)`, `no majority — split on …`, plus who has no answer and why not.
 */
export function agreementLine(v: Verdict, outcomes: readonly MemberOutcome[]): string {
  const answered = outcomes.filter((o) => o.status === 'ok').length;
  const missing = outcomes.filter((o) => o.status !== 'ok').map((o) => `${o.ref.model} ${endWords(o.status)}`);
  const tail = missing.length > 0 ? ` (${missing.join(', ')})` : '';
  return `${coreLine(v, answered, outcomes.length)}${tail}`;
}

function coreLine(v: Verdict, n: number, total: number): string {
  if (v.method === 'single') return total === 1 ? 'one model only — not a consensus' : `only ${n} of ${total} answered — not a consensus`;
  if (v.method === 'side_by_side') return `agreement unknown — ${v.note ?? 'no verdict could be formed'}; the answers are side by side`;
  if (v.agreement === 'all') return `${n}/${n} agree`;
  if (v.agreement === 'split') return `no majority — split on ${listNames(v.disagreements.map((d) => d.topic)) || 'the answer'}`;
  const odd = [...dissenters(v.disagreements).values()];
  if (odd.length === 0) return `most agree (${n} answered)`;
  const byTopic = new Map<string, string[]>();
  for (const d of odd) {
    const label = d.position.length <= 40 && v.method === 'vote' ? `${d.topic} (${d.position})` : d.topic;
    byTopic.set(label, [...(byTopic.get(label) ?? []), d.ref.model]);
  }
  const parts = [...byTopic].map(([topic, models]) => `${listNames(models)} ${models.length === 1 ? 'differs' : 'differ'} on ${topic}`);
  return `${n - odd.length}/${n} agree — ${parts.join('; ')}`;
}
