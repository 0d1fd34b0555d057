import type Keyv from 'keyv';
import type { ChatMessage, FinishReason, Usage, Vendor } from './types.ts';
import type { WriteBehind } from './write-behind.ts';

/** One model call made for a job, successful or not. */
export interface CallRecord {
  vendor: Vendor;
  model: string;
  responseModel?: string;
  requestId?: string;
  startedAt: string;
  latencyMs: number;
  usage?: Usage;
  rawUsage?: unknown;
  /** USD; `null` when the model has no price (cost unknown). */
  costUsd: number | null;
  priceChecked: string | null;
  finishReason?: { unified: FinishReason; raw: string | null };
  outcome: 'ok' | 'error';
  error?: { code: string; kind?: string; message: string; retryable: boolean };
  /** Why this call was made: `first`, `retry 2`, `fallback from anthropic (overloaded)`. */
  attempt?: string;
}

/** How an answer was formed: the audit record behind every footer. */
export interface EvidenceRecord {
  id: string;
  createdAt: string;
  workspaceId: string;
  channelId: string;
  userId: string;
  platform: string;
  threadId?: string;
  command: string;
  lane: string;
  laneReason: string;
  calls: CallRecord[];
  status: 'ok' | 'error';
  error?: { code: string; message: string };
  totalCostUsd: number | null;
  priceTableVersion: string;
  /** Structured extras of a command, e.g. consensus verdict and agreement. */
  details?: Record<string, unknown>;
  /** Set when the prompt and answer were kept; they expire sooner than the record. */
  contentExpiresAt?: string;
}

/** Prompt and answer, stored apart so they can expire after the retention period. */
export interface EvidenceContent {
  system?: string;
  messages: ChatMessage[];
  answer: string | null;
  /** Extra texts such as consensus candidates, kept in full. */
  candidates?: { model: string; text: string }[];
}

export interface EvidenceView extends EvidenceRecord {
  content: EvidenceContent | 'expired';
}

/** Stores evidence; records live a year, prompts and answers for `retentionDays`. */
export interface EvidenceStore {
  save(record: EvidenceRecord, content: EvidenceContent): Promise<void>;
  /** Returns the record only to the workspace that owns it. */
  get(id: string, workspaceId: string | '*'): Promise<EvidenceView | undefined>;
}

const RECORD_TTL_MS = 400 * 24 * 3600 * 1000;

export function createEvidenceStore(o: {
  records: Keyv<EvidenceRecord>;
  contents: Keyv<EvidenceContent>;
  retentionDays: number;
  /** When given, records are written behind the answer instead of before it. */
  writes?: WriteBehind;
}): EvidenceStore {
  const contentTtl = o.retentionDays * 24 * 3600 * 1000;
  const write = async (record: EvidenceRecord, content: EvidenceContent) => {
    const expires = new Date(Date.parse(record.createdAt) + contentTtl).toISOString();
    await Promise.all([o.contents.set(record.id, content, contentTtl), o.records.set(record.id, { ...record, contentExpiresAt: expires }, RECORD_TTL_MS)]);
  };
  return {
    async save(record, content) {
      if (o.writes) o.writes.run('evidence', () => write(record, content));
      else await write(record, content);
    },
    async get(id, workspaceId) {
      await o.writes?.flush();
      if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) return undefined;
      const record = await o.records.get(id.toUpperCase());
      if (!record || (workspaceId !== '*' && record.workspaceId !== workspaceId)) return undefined;
      const content = await o.contents.get(record.id);
      return { ...record, content: content ?? 'expired' };
    },
  };
}
