import { inBatches } from '../store/log-batches.ts';
import type { LogDb } from '../store/log-db.ts';
import { keysetPages, LOG_PAGE_ROWS } from '../store/log-pages.ts';
import type { LogTables } from '../store/log-schema.ts';
import { param, queryTemplate } from '../store/compiled-query.ts';
import type { ChatMessage, FinishReason, Usage, Vendor } from '../shared/types.ts';

/** One model call made for a job, successful or not. */
export interface CallRecord {
  vendor: Vendor;
  /** The model asked for. */
  model: string;
  /** The model the vendor says served the call, as it names it (often a dated snapshot). */
  responseModel?: string;
  /** The price-table entry the call was priced as, when the vendor served (and bills) another model than `model`. */
  pricedAs?: string;
  requestId?: string;
  startedAt: string;
  latencyMs: number;
  usage?: Usage;
  rawUsage?: unknown;
  /** USD; `null` when the model has no price (cost unknown). */
  costUsd: number | null;
  /** Why `usage` (and so the cost) is partly estimated, e.g. `answer cut off`: the vendor never said. */
  estimated?: string;
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
  /** The queued job this ran for, when a worker ran it. */
  jobId?: string;
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

/** A write that runs inside a caller's transaction (a job's final booking). */
export type EvidenceWrite = (trx: LogDb) => Promise<void>;

export interface SaveOptions {
  /** Runs the record's insert inside the caller's transaction, e.g. with the job's ledger rows. */
  within?: (insert: EvidenceWrite) => Promise<void>;
}

/**
 * Stores evidence; records live 400 days, prompts and answers for `retentionDays`. Prompts and
 * answers are written behind the record in small batches: a crash may lose the content of the
 * last batch (about `CONTENT_FLUSH_MS`), never a record.
 */
export interface EvidenceStore {
  /** The record is written before the footer that names it is shown, so a footer never points at nothing. */
  save(record: EvidenceRecord, content: EvidenceContent, opts?: SaveOptions): Promise<void>;
  /** Writes the prompts and answers still waiting for their batch (at shutdown). */
  flush(): Promise<void>;
  /** Returns the record only to the workspace that owns it. */
  get(id: string, workspaceId: string | '*'): Promise<EvidenceView | undefined>;
  /** Records created since `sinceMs`, oldest first, streamed (an audit export of any size). */
  since(sinceMs: number, workspaceId: string | '*'): AsyncIterable<EvidenceView>;
  /** Clears expired prompts and answers and deletes expired records (indexed range deletes). */
  expire(now: number): Promise<void>;
}

const DAY_MS = 24 * 3600 * 1000;
const RECORD_TTL_MS = 400 * DAY_MS;
/** How long prompts and answers wait to be written behind their records, at most. */
export const CONTENT_FLUSH_MS = 200;
/** A batch this large is written at once rather than when the timer fires. */
const CONTENT_BATCH = 64;

type EvidenceRow = LogTables['evidence'];
const INSERT_RECORD = queryTemplate<LogTables, EvidenceRow>((db) =>
  db.insertInto('evidence').values({
    id: param('id'),
    workspace_id: param('workspace_id'),
    created_at: param('created_at'),
    record: param('record'),
    content: param('content'),
    content_expires_at: param('content_expires_at'),
  }),
);
const SET_CONTENT = queryTemplate<LogTables, { id: string; content: string }>((db) =>
  db
    .updateTable('evidence')
    .set({ content: param<string>('content') })
    .where('id', '=', param<string>('id')),
);

export interface EvidenceStoreOptions {
  db: LogDb;
  retentionDays: number;
  now?: () => number;
  /** Told when a content batch could not be written (it is tried again with the next one). */
  onFlushError?: (err: unknown) => void;
}

export function createEvidenceStore(o: EvidenceStoreOptions): EvidenceStore {
  const contentTtl = o.retentionDays * DAY_MS;
  const now = o.now ?? Date.now;
  const content = createContentBatch(o.db, o.onFlushError ?? (() => undefined));
  return {
    async save(record, body, opts = {}) {
      const created = Date.parse(record.createdAt);
      const expires = created + contentTtl;
      const full: EvidenceRecord = { ...record, contentExpiresAt: new Date(expires).toISOString() };
      const row: EvidenceRow = {
        id: record.id,
        workspace_id: record.workspaceId,
        created_at: created,
        record: JSON.stringify(full),
        content: null,
        content_expires_at: expires,
      };
      const insert: EvidenceWrite = (trx) => INSERT_RECORD.run(trx, row).then(() => undefined);
      await (opts.within ? opts.within(insert) : insert(o.db));
      content.add(record.id, JSON.stringify(body));
    },
    flush: () => content.flush(),
    async get(id, workspaceId) {
      if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) return undefined;
      const row = await o.db.selectFrom('evidence').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
      if (!row || (workspaceId !== '*' && row.workspace_id !== workspaceId)) return undefined;
      if (Number(row.created_at) + RECORD_TTL_MS <= now()) return undefined;
      return view(content.fill(row), now());
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
      for await (const row of keysetPages(page)) yield view(content.fill(row), now());
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

/** Prompts and answers waiting to be written behind their records, flushed on a short timer. */
function createContentBatch(db: LogDb, onError: (err: unknown) => void) {
  const waiting = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const write = async () => {
    if (waiting.size === 0) return;
    const batch = [...waiting];
    await db.transaction().execute(async (trx) => {
      for (const [id, c] of batch) await SET_CONTENT.run(trx, { id, content: c });
    });
    // Kept until written, so a record read meanwhile still shows its content.
    for (const [id, c] of batch) if (waiting.get(id) === c) waiting.delete(id);
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    running = running.then(write, write);
    return running;
  };
  const schedule = (ms: number) => {
    if (timer) return;
    timer = setTimeout(() => void flush().catch((err: unknown) => (onError(err), schedule(CONTENT_FLUSH_MS))), ms);
    timer.unref();
  };
  return {
    add(id: string, c: string) {
      waiting.set(id, c);
      if (waiting.size >= CONTENT_BATCH) {
        if (timer) clearTimeout(timer);
        timer = undefined;
        schedule(0);
      } else schedule(CONTENT_FLUSH_MS);
    },
    flush,
    /** The row with its content, when that is still waiting for its batch. */
    fill<R extends { id: string; content: string | null }>(row: R): R {
      const c = waiting.get(row.id);
      return c === undefined ? row : { ...row, content: c };
    },
  };
}
