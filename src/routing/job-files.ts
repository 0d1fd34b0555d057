import type { PreparedFile } from '../files/prepared-file.ts';
import { modelInput, type ModelInput } from '../files/model-input.ts';
import { fileInputTokens, type FileMeasure } from '../models/file-tokens.ts';
import { splitEffort } from '../models/price-catalogue.ts';
import type { ModelFile, ModelRequest } from '../shared/provider-spec.ts';
import type { ModelRef } from '../shared/types.ts';

/** A request as one model receives it, and the input tokens its native files bill on top of its text. */
export interface CallInput {
  request: ModelRequest;
  /** Input tokens of the files sent as native blocks, by the vendor's published rule (an upper estimate). */
  fileTokens: number;
}

/** The request each model of a job receives: the same question, with the files prepared for that model. */
export type RequestFor = (ref: ModelRef) => CallInput;

/**
 * A job's files, read once, as each model may receive them. What a model gets depends on its
 * vendor and model (native images and PDFs, or fenced text), so every candidate (and a failover to
 * another vendor) is prepared for itself; each model's preparation is made once per job.
 */
export interface JobFiles {
  files: readonly PreparedFile[];
  /** The files `ref` cannot take (an image for a text-only model); empty when it reads them all. */
  unreadable(ref: ModelRef): PreparedFile[];
  /** Notes on what `ref` receives (a log trimmed to fit), for the footer. */
  notes(ref: ModelRef): string[];
  /** `base` with the files on its last user turn, as each model receives it. */
  requestFor(base: ModelRequest): RequestFor;
}

/** Prepares files for models within `maxTextChars` of fenced text, the job's budget for input. */
export function createJobFiles(files: readonly PreparedFile[], maxTextChars: number): JobFiles {
  const prepared = new Map<string, ModelInput>();
  const inputFor = (ref: ModelRef): ModelInput => {
    const model = splitEffort(ref.model).id;
    const key = `${ref.vendor}:${model}`;
    let input = prepared.get(key);
    if (!input) {
      input = modelInput([...files], { vendor: ref.vendor, model }, { maxTextChars });
      prepared.set(key, input);
    }
    return input;
  };
  return {
    files,
    unreadable: (ref) => (files.length === 0 ? [] : inputFor(ref).unreadable),
    notes: (ref) => (files.length === 0 ? [] : inputFor(ref).notes),
    requestFor: (base) => (ref) => (files.length === 0 ? { request: base, fileTokens: 0 } : withFiles(base, ref, inputFor(ref), files)),
  };
}

/** The same request for every model: a job without files. */
export function sameRequest(request: ModelRequest): RequestFor {
  return () => ({ request, fileTokens: 0 });
}

/** The fenced text goes before the question on the last user turn, the native files with it. */
function withFiles(base: ModelRequest, ref: ModelRef, input: ModelInput, files: readonly PreparedFile[]): CallInput {
  const last = base.messages.length - 1;
  const messages = base.messages.map((m, i) => {
    if (i !== last || m.role !== 'user') return m;
    const content = input.text === '' ? m.content : `${input.text}\n\n${m.content}`;
    return { ...m, content, ...(input.files.length > 0 ? { files: input.files } : {}) };
  });
  const model = splitEffort(ref.model).id;
  const fileTokens = input.files.reduce((n, f) => n + fileInputTokens(ref.vendor, model, measureOf(f, files)), 0);
  return { request: { ...base, messages }, fileTokens };
}

/** The size a vendor bills a native file by, from the prepared file it was made from. */
function measureOf(f: ModelFile, files: readonly PreparedFile[]): FileMeasure {
  const from = files.find((p) => p.data === f.data) ?? files.find((p) => p.name === f.name && p.kind === f.kind);
  if (f.kind === 'pdf') return { kind: 'pdf', pages: from?.pages ?? 1 };
  return { kind: 'image', width: from?.width ?? 0, height: from?.height ?? 0 };
}
