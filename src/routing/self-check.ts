import type { ModelRequest } from '../shared/provider-spec.ts';
import type { RequestFor } from './job-files.ts';

/**
 * The line a cheap-first call asks its model to end with. It is a self-check in the same call (no
 * second call to judge the first), so the cheap attempt costs what a cheap answer costs.
 */
export const SELF_CHECK_INSTRUCTION =
  'After your answer, end with one last line that is exactly [[confidence: sure]] or [[confidence: unsure]]. ' +
  'Write unsure when you may be wrong, are guessing, or the question needs deeper reasoning or expertise than you can give here.';

const VERDICT = /\n?[ \t]*\[\[\s*confidence\s*:\s*(sure|unsure)\s*\]\]\s*$/i;

/** The request with the self-check asked for after the job's own system prompt. */
export function withSelfCheck(req: ModelRequest): ModelRequest {
  return { ...req, system: req.system ? `${req.system}\n\n${SELF_CHECK_INSTRUCTION}` : SELF_CHECK_INSTRUCTION };
}

/** Every model's request with the self-check, for a job with files. */
export function requestsWithSelfCheck(requestFor: RequestFor): RequestFor {
  return (ref) => {
    const input = requestFor(ref);
    return { ...input, request: withSelfCheck(input.request) };
  };
}

/** What the model said of itself: `unsure`, `sure`, or `silent` when it left no verdict line; the answer without the line. */
export function readSelfCheck(text: string): { answer: string; verdict: 'sure' | 'unsure' | 'silent' } {
  const m = VERDICT.exec(text);
  if (!m) return { answer: text, verdict: 'silent' };
  return { answer: text.slice(0, m.index).trimEnd(), verdict: m[1]!.toLowerCase() === 'unsure' ? 'unsure' : 'sure' };
}
