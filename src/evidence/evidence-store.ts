import type { LogDb } from '../store/log-db.ts';
import { keysetPages, LOG_PAGE_ROWS } from '../store/log-pages.ts';
import type { LogTables } from '../store/log-schema.ts';
import { param, queryTemplate } from '../store/compiled-query.ts';
import type { EvidenceContent, EvidenceRecord, EvidenceView } from './evidence-record.ts';
import { DAY_MS, expireEvidence, RECORD_TTL_MS } from './evidence-retention.ts';

export type { CallRecord, EvidenceContent, EvidenceFile, EvidenceRecord, EvidenceView, JobOrigin } from './evidence-record.ts';

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

/** Creates the store; content is written behind records by a batch, so a save costs one insert. */
export function createEvidenceStore(o: EvidenceStoreOptions): EvidenceStore {
  const s: StoreState = {
    db: o.db,
    contentTtl: o.retentionDays * DAY_MS,
    now: o.now ?? Date.now,
    content: createContentBatch(o.db, o.onFlushError ?? (() => undefined)),
  };
  return {
    save: (record, body, opts = {}) => saveEvidence(s, record, body, opts),
    flush: () => s.content.flush(),
    get: (id, workspaceId) => getEvidence(s, id, workspaceId),
    since: (sinceMs, workspaceId) => evidenceSince(s, sinceMs, workspaceId),
    expire: (at) => expireEvidence(o.db, at),
  };
}

/** What the store's operations share: the database, the content lifetime, the clock and the content batch. */
interface StoreState {
  db: LogDb;
  contentTtl: number;
  now: () => number;
  content: ContentBatch;
}

type ContentBatch = ReturnType<typeof createContentBatch>;

async function saveEvidence(s: StoreState, record: EvidenceRecord, body: EvidenceContent, opts: SaveOptions): Promise<void> {
  const created = Date.parse(record.createdAt);
  const expires = created + s.contentTtl;
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
  await (opts.within ? opts.within(insert) : insert(s.db));
  s.content.add(record.id, JSON.stringify(body));
}

async function getEvidence(s: StoreState, id: string, workspaceId: string): Promise<EvidenceView | undefined> {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) return undefined;
  const row = await s.db.selectFrom('evidence').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
  if (!row || (workspaceId !== '*' && row.workspace_id !== workspaceId)) return undefined;
  if (Number(row.created_at) + RECORD_TTL_MS <= s.now()) return undefined;
  return view(s.content.fill(row), s.now());
}

async function* evidenceSince(s: StoreState, sinceMs: number, workspaceId: string): AsyncIterable<EvidenceView> {
  const from = Math.max(sinceMs, s.now() - RECORD_TTL_MS);
  // Page by (created_at, id) rather than stream: the same on SQLite and PostgreSQL.
  const page = (after?: { created_at: number; id: string }) => {
    let q = s.db
      .selectFrom('evidence')
      .selectAll()
      .where('created_at', '>=', after?.created_at ?? from);
    if (after) q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.created_at, after.id)));
    if (workspaceId !== '*') q = q.where('workspace_id', '=', workspaceId);
    return q.orderBy('created_at').orderBy('id').limit(LOG_PAGE_ROWS).execute();
  };
  for await (const row of keysetPages(page)) yield view(s.content.fill(row), s.now());
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
