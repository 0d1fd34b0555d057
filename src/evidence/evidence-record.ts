import type { ChatMessage, FinishReason, Usage, Vendor } from '../shared/provider-spec.ts';

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

/**
 * A file a job read, as its evidence keeps it: enough to recognise the same file again (its
 * SHA-256), never its content.
 */
export interface EvidenceFile {
  name: string;
  /** The type read from the bytes. */
  mediaType: string;
  bytes: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  pages?: number;
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
  /** The files the job read (records written before files existed have none). */
  files?: EvidenceFile[];
  /** Set when the prompt and answer were kept; they expire sooner than the record. */
  contentExpiresAt?: string;
  /** The footer as shown with the answer, without its link (records written before it was kept have none). */
  footer?: string;
}

/** Prompt and answer, stored apart so they can expire after the retention period. */
export interface EvidenceContent {
  system?: string;
  messages: ChatMessage[];
  answer: string | null;
  /** Extra texts such as consensus candidates, kept in full. */
  candidates?: { model: string; text: string }[];
}

/** A record as read back: with its prompt and answer, or `expired` once they were cleared. */
export interface EvidenceView extends EvidenceRecord {
  content: EvidenceContent | 'expired';
}
