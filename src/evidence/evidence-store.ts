import { inBatches } from '../store/log-batches.ts';
import type { LogDb } from '../store/log-db.ts';
import { keysetPages, LOG_PAGE_ROWS } from '../store/log-pages.ts';
import type { ChatMessage, FinishReason, Usage, Vendor } from '../types.ts';

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

/** Who asked, where: copied into evidence and the ledger. */
export interface JobOrigin {
  workspaceId: string;
  channelId: string;
  userId: string;
  platform: string;
  threadId?: string;
  command: string;
}

/** How an answer was formed: the audit record behind every footer. */
export interface EvidenceRecord extends JobOrigin {
  id: string;
  createdAt: string;
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

/** Stores evidence; records live 400 days, prompts and answers for `retentionDays`. */
export interface EvidenceStore {
  /** Written before the footer that names it is shown, so a footer never points at nothing. */
  save(record: EvidenceRecord, content: EvidenceContent): Promise<void>;
  /** Returns the record only to the workspace that owns it. */
  get(id: string, workspaceId: string | '*'): Promise<EvidenceView | undefined>;
  /** Records created since `sinceMs`, oldest first, streamed (an audit export of any size). */
  since(sinceMs: number, workspaceId: string | '*'): AsyncIterable<EvidenceView>;
  /** Clears expired prompts and answers and deletes expired records (indexed range deletes). */
  expire(now: number): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;
const RECORD_TTL_MS = 400 * DAY_MS;

export function createEvidenceStore(o: { db: LogDb; retentionDays: number; now?: () => number }): EvidenceStore {
  const contentTtl = o.retentionDays * DAY_MS;
  const now = o.now ?? Date.now;
  return {
    async save(record, content) {
      const created = Date.parse(record.createdAt);
      const expires = created + contentTtl;
      const full: EvidenceRecord = { ...record, contentExpiresAt: new Date(expires).toISOString() };
      await o.db
        .insertInto('evidence')
        .values({
          id: record.id,
          workspace_id: record.workspaceId,
          created_at: created,
          record: JSON.stringify(full),
          content: JSON.stringify(content),
          content_expires_at: expires,
        })
        .execute();
    },
    async get(id, workspaceId) {
      if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) return undefined;
      const row = await o.db.selectFrom('evidence').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
      if (!row || (workspaceId !== '*' && row.workspace_id !== workspaceId)) return undefined;
      if (Number(row.created_at) + RECORD_TTL_MS <= now()) return undefined;
      return view(row, now());
    },
    async *since(sinceMs, workspaceId) {
      const from = Math.max(sinceMs, now() - RECORD_TTL_MS);
      // Page by (created_at, id) rather than stream: the same on SQLite and PostgreSQL.
      const page = (after?: { created_at: number; id: string }) => {
        let q = o.db
          .selectFrom('evidence')
          .selectAll()
          .where('created_at', '>=', after?.created_at ?? from);
        if (after) q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.created_at, after.id)));
        if (workspaceId !== '*') q = q.where('workspace_id', '=', workspaceId);
        return q.orderBy('created_at').orderBy('id').limit(LOG_PAGE_ROWS).execute();
      };
      for await (const row of keysetPages(page)) yield view(row, now());
    },
    async expire(at) {
      // Bounded batches (by indexed subquery), never one statement over every expired row.
      await inBatches(async (size) => {
        const pending = o.db.selectFrom('evidence').select('id').where('content_expires_at', '<=', at).where('content', 'is not', null).limit(size);
        return (await o.db.updateTable('evidence').set({ content: null }).where('id', 'in', pending).executeTakeFirst()).numUpdatedRows;
      });
      await inBatches(async (size) => {
        const old = o.db
          .selectFrom('evidence')
          .select('id')
          .where('created_at', '<=', at - RECORD_TTL_MS)
          .limit(size);
        return (await o.db.deleteFrom('evidence').where('id', 'in', old).executeTakeFirst()).numDeletedRows;
      });
    },
  };
}

/** A stored row as shown: the record, with its content unless it has expired. */
function view(row: { record: string; content: string | null; content_expires_at: number }, at: number): EvidenceView {
  const record = JSON.parse(row.record) as EvidenceRecord;
  const fresh = row.content !== null && Number(row.content_expires_at) > at;
  return { ...record, content: fresh ? (JSON.parse(row.content!) as EvidenceContent) : 'expired' };
}
