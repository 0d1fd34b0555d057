import { VendorError } from '../shared/errors.ts';
import { estimateRequestTokens } from '../models/model-rules.ts';
import type { ModelRequest, Usage } from '../shared/provider-spec.ts';
import { vendorFailureWords } from './failure-words.ts';

/** What a failed call consumed: the vendor's numbers where it gave them, else an estimate, and why. */
export interface Consumed {
  usage: Usage;
  /** Set when any part is estimated, e.g. `stream cut`; the ledger, evidence and footer say so. */
  estimated?: string;
}

/**
 * A failed call is billed for what it used. Before its answer began streaming the vendor turned
 * it away (nothing, unless it reported usage). Once streaming, the model ran: the prompt was read
 * and what was streamed was generated, so the vendor's last reported usage counts where it covers
 * that, and otherwise the prompt is counted locally and the output from the streamed text.
 * (Anthropic reports a placeholder of 1 output token at the start; OpenAI nothing before the end.)
 */
export function consumedByFailure(req: ModelRequest, error: unknown, fileTokens = 0): Consumed | undefined {
  if (!(error instanceof VendorError)) return undefined;
  const partial = error.partialUsage;
  if (error.streamedChars === undefined) return partial ? { usage: partial } : undefined;
  // The files sent as native blocks were read too, at what their vendor bills for them.
  const inputGuess = partial && partial.inputTokens > 0 ? undefined : estimateRequestTokens(req) + fileTokens;
  const outputGuess = Math.ceil(error.streamedChars / 4); // four characters a token, as estimateTokens
  const reported = partial?.outputTokens ?? 0;
  const usage: Usage = {
    inputTokens: inputGuess ?? partial!.inputTokens,
    cacheReadTokens: partial?.cacheReadTokens ?? 0,
    cacheWriteTokens: partial?.cacheWriteTokens ?? 0,
    cacheWrite1hTokens: partial?.cacheWrite1hTokens ?? 0,
    outputTokens: Math.max(reported, outputGuess),
    reasoningTokens: partial?.reasoningTokens ?? 0,
    // Where it ran and at which tier change every rate: reported with the usage (Anthropic) or beside it (OpenAI's chunks).
    ...multipliers(partial, error),
  };
  const estimated = inputGuess !== undefined || outputGuess > reported;
  return estimated ? { usage, estimated: vendorFailureWords(error.kind) } : { usage };
}

/** The facts besides token counts that set the rates: where inference ran and the tier served. */
function multipliers(partial: Usage | undefined, error: VendorError): Pick<Usage, 'inferenceGeo' | 'serviceTier'> {
  const inferenceGeo = partial?.inferenceGeo ?? error.inferenceGeo;
  const serviceTier = partial?.serviceTier ?? error.serviceTier;
  return { ...(inferenceGeo ? { inferenceGeo } : {}), ...(serviceTier ? { serviceTier } : {}) };
}
