import type { GenerateContentResponse } from '@google/genai';
import type { CallState, TextCollector } from './call.ts';
import { streamCut } from './errors.ts';
import { normaliseGoogleUsage, readGoogleAnswer } from './google-map.ts';

/** What a complete Gemini stream told us, besides the text. */
export interface GoogleStreamOutcome {
  rawUsage: unknown;
  finish: string;
  responseId?: string;
  modelVersion?: string;
}

/**
 * Reads `streamGenerateContent` frames to the end. Gemini sends no terminator, so complete
 * means a frame with a finish (or block) reason and usage; anything short of that was cut.
 */
export async function readGoogleStream(frames: AsyncIterable<GenerateContentResponse>, text: TextCollector, state: CallState): Promise<GoogleStreamOutcome> {
  let finish: string | undefined;
  let rawUsage: unknown;
  let last: GenerateContentResponse | undefined;
  for await (const frame of frames) {
    last = frame;
    state.responseModel = frame.modelVersion ?? state.responseModel;
    const answer = readGoogleAnswer(frame);
    text.push(answer.text);
    finish = answer.finish ?? finish;
    if (frame.usageMetadata) {
      rawUsage = frame.usageMetadata;
      state.partialUsage = normaliseGoogleUsage(rawUsage);
    }
  }
  if (finish === undefined || rawUsage === undefined || !last) {
    throw streamCut('google', 'a final frame with finishReason and usage', state.partialUsage);
  }
  return {
    rawUsage,
    finish,
    ...(last.responseId ? { responseId: last.responseId } : {}),
    ...(last.modelVersion ? { modelVersion: last.modelVersion } : {}),
  };
}
