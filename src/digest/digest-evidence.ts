import type { ModelRequest } from '../shared/provider-spec.ts';
import type { SourceMessage } from './digest-render.ts';
import type { Summary } from './summarise.ts';

/** The window a digest covers, ms since the epoch: messages sent in `(from, to]`. */
export interface DigestWindow {
  from: number;
  to: number;
}

/** The evidence record's request: what was summarised, not the messages (they stay in the capture, 48 h). */
export function requestNote(n: number, input: DigestWindow, maxTokens: number): ModelRequest {
  const window = `${new Date(input.from).toISOString()} to ${new Date(input.to).toISOString()}`;
  return { model: '', messages: [{ role: 'user', content: `${n} captured messages, ${window} (kept in the capture only, not copied here)` }], maxTokens };
}

/** The evidence record's details: how the day was summarised, and the permalinks of the messages cited. */
export function digestDetails(s: Summary, sources: ReadonlyMap<string, SourceMessage>, input: DigestWindow, messages: number): Record<string, unknown> {
  return {
    kind: 'digest',
    window: { from: input.from, to: input.to },
    messages,
    mapCalls: s.mapCalls,
    reduceCalls: s.reduceCalls,
    failedChunks: s.failedChunks,
    overBudgetChunks: s.overBudgetChunks,
    dropped: s.dropped,
    cited: citedLinks(s, sources),
  };
}

function citedLinks(s: Summary, sources: ReadonlyMap<string, SourceMessage>): string[] {
  const ids = new Set(Object.values(s.points).flatMap((list) => list.flatMap((b) => b.ids)));
  return [...ids].map((id) => sources.get(id)?.permalink ?? id);
}
