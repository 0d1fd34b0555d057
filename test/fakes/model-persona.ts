import { DEFAULT_LANES } from '../../src/models/default-lanes.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import type { FakeBehaviour, FakeRequest, FakeUsage } from './types.ts';

/** How one tier of model answers a scripted prompt: its text (per vendor, to disagree), and whether it says it is unsure. */
export interface PersonaAnswer {
  text: string | Partial<Record<Vendor, string>>;
  unsure?: boolean;
}

/** A prompt the persona knows, and how a weak (cheap-lane) and a strong model answer it. */
export interface PersonaCase {
  match: RegExp;
  weak: PersonaAnswer;
  strong: PersonaAnswer;
}

const CHEAP_MODELS = new Set(DEFAULT_LANES.cheap.map((m) => m.model));
const SELF_CHECK_ASKED = /\[\[confidence: sure\]\]/;

/**
 * A fake vendor that answers as a weak or a strong model: a cheap-lane model is weak, any other is
 * strong. When the prompt asks for a confidence line it ends with one, as a model following the
 * instruction would; prompts no case matches get a sure, plain answer.
 */
export function personaResponder(cases: readonly PersonaCase[], usage: Partial<FakeUsage> = { input: 400, output: 120 }) {
  return (req: FakeRequest): FakeBehaviour => {
    const known = cases.find((c) => c.match.test(req.lastUserText));
    const weak = CHEAP_MODELS.has(req.model.replace(/@.*$/, ''));
    const answer: PersonaAnswer = known ? (weak ? known.weak : known.strong) : { text: `${weak ? 'weak' : 'strong'} answer` };
    const text = typeof answer.text === 'string' ? answer.text : (answer.text[req.vendor] ?? 'no answer');
    const check = SELF_CHECK_ASKED.test(req.promptText) ? `\n[[confidence: ${answer.unsure ? 'unsure' : 'sure'}]]` : '';
    return { text: `${text}${check}`, usage };
  };
}
