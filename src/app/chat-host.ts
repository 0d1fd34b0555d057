import type { ChatHost } from '../chat/chat-host.ts';
import { isRetired } from '../models/model-availability.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { Store } from '../store/store.ts';
import type { Config } from './config.ts';
import { parseArgs, type FlagSpec } from '../chat/args.ts';
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

/** Flags a question may start with; a suggested prompt repeats the question alone. */
const QUESTION_FLAGS: FlagSpec = { cheap: 'boolean', balanced: 'boolean', deep: 'boolean', model: 'string', yes: 'boolean' };

/** A person's own latest questions, flags dropped, each once, at most `max`. */
export async function recentQuestions(book: Pick<AnswerBook, 'recentAsks'>, workspaceId: string, userId: string, max = 2): Promise<string[]> {
  const texts = await book.recentAsks(workspaceId, userId, 20);
  const questions = texts.map((t) => {
    try {
      return parseArgs(t, QUESTION_FLAGS, '/ask').rest;
    } catch {
      return '';
    }
  });
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
