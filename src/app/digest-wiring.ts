import type { ChatAdapter } from '../chat/chat-adapter.ts';
import type { DigestServices } from '../command/command.ts';
import type { DigestCapture } from '../chat/capture-event.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import type { Logger } from '../shared/log.ts';
import type { Books } from '../money/books.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { LogDb } from '../store/log-db.ts';
import type { SettingsService } from '../settings/settings.ts';
import type { ExecuteInput, Execution } from '../routing/execution.ts';
import { createDigestCapture } from '../digest/capture.ts';
import { createCapturedMessages } from '../digest/captured-messages.ts';
import { createDigestChannels } from '../digest/digest-channels.ts';
import { createDigestRunner, type DigestRunnerOptions } from '../digest/digest-runner.ts';
import { createDigestRuns } from '../digest/digest-runs.ts';
import { createDigestScheduler, type DigestPost } from '../digest/digest-scheduler.ts';
import { createBackfills, type BackfillState, type HistorySource } from '../digest/backfill.ts';
import type Keyv from 'keyv';

/** What the digests are built from: the log store, the job services, the clock. */
export interface DigestDeps {
  logs: LogDb;
  keys: KeyService;
  settings: SettingsService;
  execute: (x: ExecuteInput) => Promise<Execution>;
  books: Books;
  evidence: EvidenceStore;
  catalogue: PriceCatalogue;
  secrets: SecretRegistry;
  log: Logger;
  maxOutputTokens: number;
  retentionHours: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The keyed store's `digest` namespace: backfill progress. */
  kv: Keyv<BackfillState>;
  /** Links a digest footer's evidence id to its page, when pages are on. */
  evidenceLink?: DigestRunnerOptions['evidenceLink'];
}

/** Starts the scheduler for the platforms this process runs; returns its stop. */
export type StartDigests = (
  post: DigestPost,
  canPost: (platform: string) => boolean,
  o?: { now?: () => number; tickMs?: number; spreadMs?: number; history?: (platform: string) => HistorySource | undefined },
) => () => Promise<void>;

/** The digest services (for `/digest`), the capture (for chat adapters) and the scheduler's start (for main). */
export function assembleDigests(d: DigestDeps): { services: DigestServices; capture: DigestCapture; start: StartDigests } {
  const channels = createDigestChannels(d.logs, d.now);
  const messages = createCapturedMessages(d.logs, d.now);
  const capture = createDigestCapture({ db: d.logs, channels, secrets: d.secrets, retentionMs: d.retentionHours * 3_600_000, now: d.now });
  const runner = createDigestRunner({ ...d, messages, now: () => new Date(d.now()) });
  const backfills = createBackfills({ kv: d.kv, channels, capture, log: d.log, now: d.now, sleep: d.sleep });
  const services: DigestServices = { channels, messages, runs: createDigestRuns(d.logs, d.now), runner, backfills, retentionHours: d.retentionHours };
  const start: StartDigests = (post, canPost, t = {}) => {
    const { history, ...timing } = t;
    const scheduler = createDigestScheduler({ ...services, post, canPost, log: d.log, now: t.now ?? d.now, ...timing });
    scheduler.start();
    if (history) backfills.attach(history);
    return async () => {
      await backfills.stop();
      await scheduler.stop();
    };
  };
  return { services, capture, start };
}

/** Scheduled digests posted, and backfills read, through the platforms this process runs. */
export function startDigestsOn(
  startDigests: StartDigests,
  adapters: readonly Pick<ChatAdapter, 'name' | 'post' | 'history' | 'historyPaceMs'>[],
): () => Promise<void> {
  const find = (platform: string) => adapters.find((x) => x.name === platform);
  return startDigests(
    async (platform, target, reply) => {
      const a = find(platform);
      if (a) await a.post(target, reply);
      return a !== undefined;
    },
    (platform) => find(platform) !== undefined,
    {
      history: (platform) => {
        const a = find(platform);
        return a?.history ? { read: (t, since, cursor) => a.history!(t, since, cursor), paceMs: a.historyPaceMs ?? 1_000 } : undefined;
      },
    },
  );
}
