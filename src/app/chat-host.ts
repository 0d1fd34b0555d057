import type { ChatHost } from '../chat/chat-host.ts';
import { isRetired } from '../models/model-availability.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { Store } from '../store/store.ts';
import type { Config } from './config.ts';
import type { AnswerBook } from '../jobs/answer-book.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What chat adapters may use of the core: dispatch, keys, their own store namespaces, the sealer, secrets, log. */
export function createChatHost(o: Omit<ChatHost, 'store' | 'config'> & { config: Config; store: Store }): ChatHost {
  const { config, store, ...services } = o;
  return {
    ...services,
    store: { ns: (name) => store.ns(name), atomic: store.atomic },
    config: {
      port: config.port,
      adminUserIds: config.adminUserIds,
      threadRetentionMs: config.evidenceRetentionDays * DAY_MS,
      http: config.http,
    },
  };
}

/** A person's own latest questions, flags dropped (by the command's own reading), each once, at most `max`. */
export async function recentQuestions(
  book: Pick<AnswerBook, 'recentAsks'>,
  questionOf: (text: string) => string,
  who: { workspaceId: string; userId: string },
  max = 2,
): Promise<string[]> {
  const questions = (await book.recentAsks(who.workspaceId, who.userId, 20)).map(questionOf);
  return [...new Set(questions.filter((q) => q !== ''))].slice(0, max);
}

/** Priced models current at `now` whose `vendor:id` or label contains `typed` (case-insensitive), in table order. */
export function suggestModels(catalogue: PriceCatalogue, now: Date, typed: string): { name: string; value: string }[] {
  const t = typed.toLowerCase();
  return catalogue
    .list()
    .filter((m) => m.prices.length > 0 && !isRetired(catalogue, { vendor: m.vendor, model: m.id }, now))
    .map((m) => ({ name: `${m.vendor}:${m.id} — ${m.label}`, value: `${m.vendor}:${m.id}` }))
    .filter((c) => t === '' || c.value.includes(t) || c.name.toLowerCase().includes(t));
}
