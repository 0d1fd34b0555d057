import type OpenAI from 'openai';
import type { CallState, TextCollector } from './call.ts';
import { streamCut } from './errors.ts';
import { normaliseOpenAIUsage } from './openai-map.ts';

/** What a complete Chat Completions stream told us, besides the text. */
export interface OpenAIStreamOutcome {
  rawUsage: unknown;
  finishReason: string;
  model?: string;
  /** The processing tier that served the request (`default`, `flex`, `priority`), from any chunk. */
  serviceTier?: string;
}

/**
 * Reads chunks to the end. Complete means a `finish_reason` and the usage chunk (we always
 * ask for `include_usage`): the SDK ends iteration quietly on abort, and usage is lost on a cut.
 */
export async function readOpenAIStream(
  chunks: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
  text: TextCollector,
  state: CallState,
): Promise<OpenAIStreamOutcome> {
  let finishReason: string | undefined;
  let rawUsage: unknown;
  let model: string | undefined;
  let serviceTier: string | undefined;
  for await (const chunk of chunks) {
    model ??= chunk.model;
    serviceTier = chunk.service_tier ?? serviceTier;
    state.responseModel = model;
    state.serviceTier = serviceTier;
    for (const choice of chunk.choices) {
      if (choice.index !== 0) continue;
      if (choice.delta.content) text.push(choice.delta.content);
      finishReason = choice.finish_reason ?? finishReason;
    }
    if (chunk.usage) {
      rawUsage = chunk.usage;
      state.partialUsage = normaliseOpenAIUsage(rawUsage, serviceTier);
    }
  }
  if (finishReason === undefined) throw streamCut('openai', 'finish_reason', state.partialUsage);
  if (rawUsage === undefined) throw streamCut('openai', 'the usage chunk');
  return { rawUsage, finishReason, ...(model !== undefined ? { model } : {}), ...(serviceTier !== undefined ? { serviceTier } : {}) };
}
