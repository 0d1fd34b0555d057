import type Anthropic from '@anthropic-ai/sdk';
import type { CallState, TextCollector } from './call.ts';
import { mergeAnthropicUsage, normaliseAnthropicUsage } from './anthropic-map.ts';
import { streamCut } from './errors.ts';

/** What a complete Anthropic stream told us, besides the text. */
export interface AnthropicStreamOutcome {
  rawUsage: Record<string, unknown>;
  stopReason: string | null;
  model?: string;
}

/**
 * Reads Messages SSE events to the end; only `message_stop` counts as complete, because the
 * SDK ends iteration quietly on abort and a cut socket may look like an early end.
 */
export async function readAnthropicStream(
  events: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  text: TextCollector,
  state: CallState,
): Promise<AnthropicStreamOutcome> {
  let rawUsage: Record<string, unknown> = {};
  let stopReason: string | null = null;
  let model: string | undefined;
  let stopped = false;
  for await (const ev of events) {
    if (ev.type === 'message_start') {
      model = ev.message.model;
      state.responseModel = model;
      rawUsage = mergeAnthropicUsage({}, ev.message.usage);
      state.partialUsage = normaliseAnthropicUsage(rawUsage);
    } else if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
      text.push(ev.delta.text);
    } else if (ev.type === 'message_delta') {
      stopReason = ev.delta.stop_reason ?? stopReason;
      rawUsage = mergeAnthropicUsage(rawUsage, ev.usage);
      state.partialUsage = normaliseAnthropicUsage(rawUsage);
    } else if (ev.type === 'message_stop') {
      stopped = true;
    }
  }
  if (!stopped) throw streamCut('anthropic', 'message_stop', state.partialUsage);
  return model === undefined ? { rawUsage, stopReason } : { rawUsage, stopReason, model };
}
