import { splitEffort, type PriceCatalogue } from './price-catalogue.ts';
import type { ChatMessage, ModelRequest, Vendor } from '../shared/provider-spec.ts';
import { LEGACY_RULES } from './model-rule-sets.ts';
import type { ModelRules } from './model-rules-schema.ts';

export type { ModelRules } from './model-rules-schema.ts';

/** The request rules of a model (by id, alias or `id@effort`); models without a row get the legacy rules. */
export function rulesFor(catalogue: PriceCatalogue, vendor: Vendor, model: string): ModelRules {
  return catalogue.find(vendor, model)?.rules ?? LEGACY_RULES;
}

/** A request cut down to what its model accepts: the bare model id, a supported effort, and nothing the API rejects. */
export interface ShapedRequest {
  /** The id the vendor receives, without the `@effort` suffix. */
  model: string;
  effort?: string;
  temperature?: number;
  system?: string;
  messages: ChatMessage[];
  maxTokens: number;
}

/**
 * Applies the model's rules to a neutral request, so a provider sends only what the model accepts:
 * an effort only if listed, temperature only where sampling is allowed (for `effort-none` models,
 * only with effort none), no trailing assistant turn where prefill is refused, and `maxTokens`
 * within the model's output limit.
 */
export function shapeRequest(catalogue: PriceCatalogue, vendor: Vendor, req: ModelRequest): ShapedRequest {
  const { id, effort } = splitEffort(req.model);
  const rules = rulesFor(catalogue, vendor, id);
  const chosen = effort !== undefined && rules.efforts.includes(effort) ? effort : undefined;
  const effective = chosen ?? rules.defaultEffort;
  const sampling = rules.sampling === 'any' || (rules.sampling === 'effort-none' && effective === 'none');
  const messages = rules.prefill ? req.messages : withoutPrefill(req.messages);
  const maxTokens = rules.maxOutputTokens === undefined ? req.maxTokens : Math.min(req.maxTokens, rules.maxOutputTokens);
  return {
    model: id,
    messages,
    maxTokens,
    ...(chosen === undefined ? {} : { effort: chosen }),
    ...(sampling && req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.system ? { system: req.system } : {}),
  };
}

/** Drops trailing assistant turns: the model answers the conversation instead of continuing a forced start. */
function withoutPrefill(messages: readonly ChatMessage[]): ChatMessage[] {
  let end = messages.length;
  while (end > 0 && messages[end - 1]!.role === 'assistant') end -= 1;
  return messages.slice(0, end);
}

/** Why an effort cannot be used with a model, or undefined when it can; for commands to refuse before a job starts. */
export function effortProblem(catalogue: PriceCatalogue, vendor: Vendor, model: string): string | undefined {
  const { id, effort } = splitEffort(model);
  if (effort === undefined) return undefined;
  const rules = rulesFor(catalogue, vendor, id);
  if (rules.efforts.length === 0) return `${vendor}:${id} has no effort setting; leave out "@${effort}"`;
  if (!rules.efforts.includes(effort)) return `${vendor}:${id} accepts effort ${rules.efforts.join(', ')}, not "${effort}"`;
  return undefined;
}

/** A cheap, vendor-neutral token estimate (about four characters per token for English text). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Keeps the most recent turns that fit the budget; says how many older turns were dropped. */
export function trimHistory(history: readonly ChatMessage[], budgetTokens: number): { messages: ChatMessage[]; dropped: number } {
  const kept: ChatMessage[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    const cost = estimateTokens(m.content) + 4;
    if (used + cost > budgetTokens) break;
    kept.unshift(m);
    used += cost;
  }
  // A conversation sent to a model must start with a user turn.
  while (kept.length > 0 && kept[0]!.role !== 'user') kept.shift();
  return { messages: kept, dropped: history.length - kept.length };
}

/** The footer note for dropped turns, so /ask and /consensus say it alike; none when nothing was dropped. */
export function trimmedContextNote(dropped: number): string | undefined {
  return dropped > 0 ? `context trimmed (${dropped} earlier message${dropped === 1 ? '' : 's'})` : undefined;
}

/** Estimated input tokens of a whole request (system prompt and every turn). */
export function estimateRequestTokens(req: { system?: string; messages: readonly ChatMessage[] }): number {
  return estimateTokens(req.system ?? '') + req.messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
}
