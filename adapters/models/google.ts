import { GoogleGenAI } from '@google/genai';
import type { CallOptions, ModelProvider, ModelRequest, ModelResult } from '../../src/types.ts';
import { createTextCollector, elapsedMs, guardCall, type CallState, type GuardSpec } from './call.ts';
import { badResponse } from './errors.ts';
import { describeGoogleError, mapGoogleFinish, normaliseGoogleUsage, readGoogleAnswer, toGoogleParams } from './google-map.ts';
import { readGoogleStream } from './google-stream.ts';
import { compact } from './json.ts';

/** Options for the Gemini provider; the key is not one of them, it comes per call. */
export interface GoogleProviderOptions {
  /** GEMINI_BASE_URL without the version path; undefined means generativelanguage.googleapis.com. */
  baseUrl?: string | undefined;
}

const LIST_TIMEOUT_MS = 15_000;

function client(apiKey: string, baseUrl: string | undefined): GoogleGenAI {
  // genai has no retries unless asked; the API version is pinned because 3.x changed the default.
  const httpOptions = { apiVersion: 'v1beta', ...(baseUrl ? { baseUrl } : {}) };
  return new GoogleGenAI({ apiKey, vertexai: false, httpOptions });
}

async function generateJson(ai: GoogleGenAI, req: ModelRequest, signal: AbortSignal): Promise<ModelResult> {
  const startedAt = performance.now();
  const resp = await ai.models.generateContent(toGoogleParams(req, signal));
  const answer = readGoogleAnswer(resp);
  if (answer.finish === undefined) throw badResponse('google', 'no candidate and no block reason');
  return compact({
    vendor: 'google' as const,
    model: req.model,
    responseModel: resp.modelVersion,
    text: answer.text,
    usage: normaliseGoogleUsage(resp.usageMetadata),
    finishReason: mapGoogleFinish(answer.finish),
    requestId: resp.responseId,
    latencyMs: elapsedMs(startedAt),
    rawUsage: resp.usageMetadata,
  });
}

async function generateStream(
  ai: GoogleGenAI,
  req: ModelRequest,
  opts: CallOptions,
  signal: AbortSignal,
  state: CallState,
): Promise<ModelResult> {
  const startedAt = performance.now();
  const frames = await ai.models.generateContentStream(toGoogleParams(req, signal));
  state.streaming = true;
  const text = createTextCollector(startedAt, opts.onText);
  const out = await readGoogleStream(frames, text, state);
  return compact({
    vendor: 'google' as const,
    model: req.model,
    responseModel: out.modelVersion,
    text: text.text(),
    usage: normaliseGoogleUsage(out.rawUsage),
    finishReason: mapGoogleFinish(out.finish),
    requestId: out.responseId,
    latencyMs: elapsedMs(startedAt),
    firstTokenMs: text.firstTokenMs(),
    rawUsage: out.rawUsage,
  });
}

async function listModelIds(ai: GoogleGenAI, signal: AbortSignal): Promise<string[]> {
  const pager = await ai.models.list({ config: { pageSize: 1000, abortSignal: signal } });
  return pager.page.map((m) => (m.name ?? '').replace(/^models\//, '')).filter((id) => id !== '');
}

/** Creates the Gemini API provider (v1beta), built on the official SDK with no retries. */
export function createGoogleProvider(opts: GoogleProviderOptions = {}): ModelProvider {
  const guard = (apiKey: string): GuardSpec => ({ vendor: 'google', apiKey, describe: describeGoogleError });
  return {
    vendor: 'google',
    generate(req, apiKey, call) {
      return guardCall(guard(apiKey), call, (signal, state) => {
        const ai = client(apiKey, opts.baseUrl);
        return call.stream ? generateStream(ai, req, call, signal, state) : generateJson(ai, req, signal);
      });
    },
    listModels(apiKey, listOpts = {}) {
      const timeoutMs = listOpts.timeoutMs ?? LIST_TIMEOUT_MS;
      return guardCall(guard(apiKey), { signal: listOpts.signal, timeoutMs }, (signal) =>
        listModelIds(client(apiKey, opts.baseUrl), signal),
      );
    },
  };
}
