import type { CommandCatalog, Dispatcher } from '../chat/dispatcher.ts';
import type { ChatAnswerer } from '../chat/answerer.ts';
import type { ChatHost } from '../chat/chat-host.ts';
import type { HttpPages } from '../chat/http-pages.ts';
import type { LogOutlet } from '../chat/log-view.ts';
import type { QueuedJob } from '../chat/queued-job.ts';
import type { HiveContext } from '../command/command.ts';
import type { JobWorkerOptions } from '../command/job-worker.ts';
import type { ConsensusTuning } from '../consensus/runner.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import type { JobHandler, JobQueue } from '../jobs/job-queue.ts';
import type { Sealer } from '../keys/crypto.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { Books } from '../money/books.ts';
import type { Ledger } from '../money/ledger.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { ModelProvider, Vendor } from '../shared/provider-spec.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import type { LogDb } from '../store/log-db.ts';
import type { Store } from '../store/store.ts';
import type { Config } from './config.ts';
import type { StartDigests } from './digest-wiring.ts';
import type { DrawSpendChart } from './pages-wiring.ts';
import type { ReadinessCheck } from './health.ts';

/** The assembled bot: every core service wired to the vendor adapters, ready for a chat adapter. */
export interface Hive<Q extends JobQueue = JobQueue> {
  config: Config;
  log: Logger;
  secrets: SecretRegistry;
  /** Encrypts other secrets at rest (e.g. chat installations) with the master key. */
  sealer: Sealer;
  store: Store;
  /** Budget counters, holds and ledger rows (the SQL log store). */
  books: Books;
  /** The SQL log store itself (ledger, evidence, digest capture and runs). */
  logs: LogDb;
  /**
   * Starts firing scheduled digests, posted through `post` on the platforms this process runs;
   * returns the stop (digests under way finish).
   */
  startDigests: StartDigests;
  /** What `/readyz` asks of the core: the keyed store and the log database answer. */
  readiness(): ReadinessCheck[];
  keys: KeyService;
  evidence: EvidenceStore;
  ledger: Ledger;
  ctx: HiveContext;
  dispatcher: Dispatcher;
  /** What each command is (quick, conversational), for platforms deciding how to present it. */
  commands: CommandCatalog;
  /** The narrow view of the core that chat adapters get (never the whole Hive). */
  host: ChatHost;
  /** The evidence pages behind signed links; absent without `HIVE_PUBLIC_URL` (pages off). */
  pages: HttpPages | undefined;
  /** A worker's job handler: queued jobs run here and are answered through these platforms, once each (the outbox). */
  answerJobs(answerers: ReadonlyMap<string, ChatAnswerer>, owner: string, tuning?: JobRunTuning): JobHandler;
  /** Tells the user a job given up on (stalled too often) failed, unless its answer went out. */
  abandonJob(answerers: ReadonlyMap<string, ChatAnswerer>, owner: string, tuning?: JobRunTuning): (job: QueuedJob, reason: string) => Promise<void>;
  /** The intake queue, when this process puts jobs on one. */
  queue: Q | undefined;
  close(): Promise<void>;
}

export interface HiveOptions<Q extends JobQueue = JobQueue> {
  /** Where logs go: 1 = stdout, 2 = stderr (terminal adapter and CLI keep stdout for output). */
  logFd?: 1 | 2;
  logSink?: { write(line: string): void };
  /** A sink a platform may show lines from (the terminal, above its prompt); given to chat adapters as `logView`. */
  logOutlet?: LogOutlet;
  /** Human-readable log lines; by default when logs go to a terminal (and never to a sink). */
  logPretty?: boolean;
  providers?: Record<Vendor, ModelProvider>;
  clock?: Clock;
  /** Consensus timing and synthesis model (tests shorten the timeouts). */
  consensus?: ConsensusTuning;
  /**
   * Model jobs that a worker can answer go on this queue instead of running here: BullMQ at
   * scale-out, or the log store's own queue for one process on its own.
   */
  queue?: Q | ((core: QueueCore) => Q);
  /** Draws `/hive usage`'s chart; by default the web adapter's PNG (tests make it fail: the reply must survive). */
  drawSpendChart?: DrawSpendChart;
}

/** What a queue is built from: the core's log, sealer, log store and clock. */
export interface QueueCore {
  log: Logger;
  sealer: Sealer;
  logs: LogDb;
  clock: Clock;
}

/** How job runs behave where they run (see `JobWorkerOptions`). */
export type JobRunTuning = Pick<JobWorkerOptions, 'postingGraceMs'>;
