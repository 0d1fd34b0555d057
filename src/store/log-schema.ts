import type { ActionTables } from './log-schema-actions.ts';
import type { Generated } from 'kysely';

/**
 * The SQL log store's tables: append-heavy rows queried by workspace and time (ledger, evidence)
 * and the budget counters that must change in the same transaction as the ledger.
 */
export interface LogTables extends ActionTables {
  /** One row per model call that reported usage; `cost_nano` is null when the price is unknown. */
  ledger: {
    id: Generated<number>;
    at: number;
    workspace_id: string;
    channel_id: string;
    user_id: string;
    vendor: string;
    model: string;
    input_tokens: number;
    output_tokens: number;
    cache_read_tokens: number;
    cache_write_tokens: number;
    reasoning_tokens: number;
    cost_nano: number | null;
    evidence_id: string;
    /** 1 when the call's usage is partly estimated (its stream was cut before the vendor reported it). */
    estimated: number;
    /** 1 when the call's process stopped mid-call and it was booked at its worst case (then `estimated` is 1 too). */
    stopped: Generated<number>;
    /** The lane the job was routed to (`cheap`, `balanced`, `deep`); null on rows booked before lanes were recorded. */
    lane: string | null;
    /** Why the job took that lane, the routing rule (`auto: code`, `--deep`, `channel default`, `consensus`, `digest`); null likewise. */
    route: string | null;
  };
  /** The audit record behind a footer; `content` (prompt and answer) is cleared after retention. */
  evidence: {
    id: string;
    workspace_id: string;
    created_at: number;
    record: string;
    content: string | null;
    content_expires_at: number;
  };
  /** Monthly spend per scope in nano-dollars: settled by finished calls, held by calls in flight. */
  budget_counters: {
    key: string;
    settled: number;
    held: number;
  };
  /** A hold taken before a call; released when the call settles, or when its lease runs out (a crash). */
  budget_holds: {
    id: string;
    owner: string;
    amount: number;
    keys: string;
    expires_at: number;
  };
  /** Totals of one closed UTC day (days since the epoch) per dimension: model (k1 vendor, k2 model), user, channel, lane or route (k1). */
  ledger_rollup: {
    workspace_id: string;
    day: number;
    dim: 'model' | 'user' | 'channel' | 'lane' | 'route';
    k1: string;
    k2: string;
    calls: number;
    cost_nano: number;
    input_tokens: number;
    output_tokens: number;
    unpriced: number;
    /** Calls booked at their worst case because their process stopped mid-call. */
    stopped: Generated<number>;
  };
  /** The days of a workspace whose totals are in `ledger_rollup` (empty days included). */
  ledger_rollup_days: {
    workspace_id: string;
    day: number;
  };
  /** A channel's daily digest, on or off: when (local `HH:MM` in an IANA zone) and its options (JSON). */
  digest_channels: {
    workspace_id: string;
    channel_id: string;
    platform: string;
    at_time: string;
    timezone: string;
    enabled_at: number;
    enabled_by: string;
    options: string;
    /** When the digest was turned off, keeping its settings; null while it is on. */
    off_at: number | null;
  };
  /** A message captured for a digest, until `expires_at`; only from channels with a digest on. */
  digest_messages: {
    workspace_id: string;
    channel_id: string;
    message_id: string;
    thread_id: string | null;
    author_id: string;
    author_name: string;
    text: string;
    at: number;
    permalink: string | null;
    edited: number;
    expires_at: number;
  };
  /** One digest of a channel for one local day: claimed (`running`, leased) before it runs, then `posted`, `skipped` or `failed`. */
  digest_runs: {
    workspace_id: string;
    channel_id: string;
    day: string;
    owner: string;
    status: string;
    lease_until: number;
    finished_at: number | null;
    evidence_id: string | null;
    cost_nano: number | null;
    note: string | null;
  };
  /** One queued job's delivery: `running` (with what it posted so far in `ref`) until `sent`. */
  outbox: {
    job_id: string;
    platform: string;
    workspace_id: string;
    state: string;
    owner: string;
    attempts: number;
    ref: string | null;
    created_at: number;
    posting_at: number | null;
    sent_at: number | null;
    /** An answer its run could not deliver, sealed, for the job's next run to deliver. */
    held_reply: string | null;
  };
  /** A job this process acknowledged and has not finished (single process): its sealed request, and how many runs began. */
  local_jobs: {
    job_id: string;
    platform: string;
    workspace_id: string;
    data: string;
    enqueued_at: number;
    runs: number;
  };
  /**
   * A model call in flight: written before the call, deleted in the transaction that books it. One
   * left behind by a process that stopped is booked by whoever resumes its job, or once its lease
   * (renewed by its process's heartbeat) runs out, at its worst case.
   */
  call_starts: {
    id: string;
    /** The process making the call (its books' owner). */
    owner: string;
    /** The queued job the call was made for, if any: its next run books what this one left. */
    job_id: string | null;
    /** When the job began: the ledger time its calls are booked at. */
    at: number;
    started_at: number;
    workspace_id: string;
    channel_id: string;
    user_id: string;
    evidence_id: string;
    vendor: string;
    model: string;
    /** The prompt at its worst: every byte a token (see `worstCaseInputTokens`). */
    prompt_tokens: number;
    max_tokens: number;
    /** The call's worst-case cost; null when the model has no price. */
    worst_nano: number | null;
    /** The budget hold taken for the call, if any scope has a cap. */
    hold_id: string | null;
    /** The budget scopes (JSON array of counter keys) the call's cost is settled into. */
    keys: string;
    expires_at: number;
    /** The job's lane and routing rule, for the ledger row of a call booked as stopped; null when not known. */
    lane: string | null;
    route: string | null;
  };
}

/** The ledger's columns a booking writes (all but the id), in one order for every writer. */
export const LEDGER_ROW_COLUMNS = [
  'at',
  'workspace_id',
  'channel_id',
  'user_id',
  'vendor',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_nano',
  'evidence_id',
  'estimated',
  'lane',
  'route',
] as const satisfies readonly (keyof LogTables['ledger'])[];
