import type { ChatMessage } from '../shared/provider-spec.ts';

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
