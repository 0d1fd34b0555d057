import type { ChatMessage, ModelRequest, Usage } from '../shared/provider-spec.ts';
import { ZERO_USAGE } from '../shared/provider-spec.ts';

/** Bytes counted per message for its role and framing, on top of its content. */
const MESSAGE_FRAMING_BYTES = 8;

/**
 * The most input tokens a prompt can be billed as: a token is never shorter than a byte, so every
 * byte counts as one. Budget holds and consensus estimates must agree on this bound.
 */
export function worstCaseInputTokens(prompt: { system?: string | undefined; messages: readonly ChatMessage[] }): number {
  return Buffer.byteLength(prompt.system ?? '') + prompt.messages.reduce((n, m) => n + Buffer.byteLength(m.content) + MESSAGE_FRAMING_BYTES, 0);
}

/** The largest usage a request can cause: its worst-case input and the full `max_tokens` of output. */
export function worstCaseUsage(req: ModelRequest): Usage {
  return { ...ZERO_USAGE, inputTokens: worstCaseInputTokens(req), outputTokens: req.maxTokens };
}
