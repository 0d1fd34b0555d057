import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';
import { param, queryTemplate } from '../store/compiled-query.ts';

/** A call about to be made, as the books record it: who asked, where, what it may cost at worst, and the job's lane and rule if known. */
export type CallStart = Omit<LogTables['call_starts'], 'id' | 'owner' | 'started_at' | 'expires_at' | 'lane' | 'route'> &
  Partial<Pick<LogTables['call_starts'], 'lane' | 'route'>>;

type StartRow = LogTables['call_starts'];

const START_COLUMNS = [
  'id',
  'owner',
  'job_id',
  'at',
  'started_at',
  'workspace_id',
  'channel_id',
  'user_id',
  'evidence_id',
  'vendor',
  'model',
  'prompt_tokens',
  'max_tokens',
  'worst_nano',
  'hold_id',
  'keys',
  'expires_at',
  'lane',
  'route',
] as const satisfies readonly (keyof StartRow)[];

/** The start's insert, compiled once per database: it is on every call's path. */
const INSERT_START = queryTemplate<LogTables, StartRow>((db) =>
  db.insertInto('call_starts').values(Object.fromEntries(START_COLUMNS.map((c) => [c, param(c)])) as unknown as StartRow),
);

/** Writes a call's start row: one insert, committed before the call is made. */
export async function insertCallStart(db: LogDb, row: StartRow): Promise<void> {
  await INSERT_START.run(db, row);
}

/** Extends the leases of one process's calls in flight (its heartbeat), so only a stopped process's run out. */
export async function renewCallStarts(db: LogDb, owner: string, until: number): Promise<void> {
  await db.updateTable('call_starts').set({ expires_at: until }).where('owner', '=', owner).execute();
}
