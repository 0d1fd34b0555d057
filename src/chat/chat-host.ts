import type Keyv from 'keyv';
import type { Sealer } from '../keys/crypto.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import type { Logger } from '../shared/log.ts';
import type { ThreadReplies } from '../settings/settings.ts';
import type { AtomicOps } from '../store/atomic.ts';
import type { DigestCapture } from './capture-event.ts';
import type { CommandCatalog, Dispatcher } from './dispatcher.ts';
import type { HttpLimits } from './http-limits.ts';
import type { HttpPages } from './http-pages.ts';
import type { LogView } from './log-view.ts';

/** The store namespaces chat adapters own: thread transcripts, platform installations, gateway logins. */
export type ChatNamespace = 'threads' | 'installations' | 'gateway';

/** The part of the store a chat adapter may use: its own namespaces and atomic delivery claims. */
export interface ChatStore {
  ns<T>(name: ChatNamespace): Keyv<T>;
  atomic: Pick<AtomicOps, 'claim'>;
}

/** Core settings a platform needs; its own settings come from its own environment parsing. */
export interface ChatHostConfig {
  /** The HTTP port a platform that listens for webhooks binds. */
  port: number;
  /** Users who may administer every workspace (`HIVE_ADMIN_USER_IDS`), besides platform admins. */
  adminUserIds: readonly string[];
  /** How long a thread's transcript is kept (the evidence retention). */
  threadRetentionMs: number;
  /** Deadlines and the unverified-connection cap of a platform's HTTP server (`HIVE_HTTP_*`); defaults when absent. */
  http?: HttpLimits;
}

/**
 * The narrow set of core services a chat adapter may use, so an adapter never holds the whole
 * assembled bot: it dispatches requests, registers keys, keeps its own records, and logs.
 */
export interface ChatHost {
  dispatcher: Dispatcher;
  /** What each command is (quick, conversational), for deciding how to present it. */
  commands: CommandCatalog;
  keys: Pick<KeyService, 'list' | 'register' | 'removeWorkspace'>;
  store: ChatStore;
  /** Encrypts platform secrets at rest (e.g. OAuth installations) with the master key. */
  sealer: Sealer;
  /**
   * The platform's own tokens and installation tokens are added here (the operator's, masked
   * everywhere); text typed into a key form never is. Replies to a workspace are masked with `forWorkspace`.
   */
  secrets: SecretRegistry;
  log: Logger;
  config: ChatHostConfig;
  /** Whether a thread message must mention Hive to be a question there (`/hive threads`). */
  threadReplies(workspaceId: string, channelId: string): Promise<ThreadReplies>;
  /**
   * A person's own latest questions in a workspace, newest first, without flags or repeats, for
   * suggested prompts: never anyone else's, so nothing from a channel they cannot read is shown.
   */
  recentQuestions?(workspaceId: string, userId: string): Promise<string[]>;
  /** Models a user may name (priced, not retired) whose `vendor:id` or label contains `typed`, for pickers. */
  suggestModels(typed: string): { name: string; value: string }[];
  /**
   * Every person's channel message (and its edits and deletion) goes here; channels with a digest
   * on keep it, others drop it unwritten. Bots' messages, Hive's own included, are never sent.
   */
  capture: DigestCapture;
  /**
   * Optional: the process's log lines, for a platform that shares the screen with them and shows
   * them without garbling its own (the terminal's prompt); absent when logs go elsewhere.
   */
  logView?: LogView;
  /** Optional: Hive's web pages (`HIVE_PUBLIC_URL` set), for a platform whose HTTP server listens on `PORT` to serve beside its own routes. */
  pages?: HttpPages;
}
