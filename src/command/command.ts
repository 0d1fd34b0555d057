import type { LearnedPolicy } from '../routing/learned-policy.ts';
import type { CommandTraits } from '../chat/dispatcher.ts';
import type { CapturedMessages } from '../digest/captured-messages.ts';
import type { DigestChannels } from '../digest/digest-channels.ts';
import type { DigestRunner } from '../digest/digest-runner.ts';
import type { DigestRuns } from '../digest/digest-runs.ts';
import type { Backfills } from '../digest/backfill.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import type { Invocation, Reply } from '../chat/invocation.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { Ledger } from '../money/ledger.ts';
import type { Logger } from '../shared/log.ts';
import type { SettingsService } from '../settings/settings.ts';
import type { Pacer } from '../pacing/pacer.ts';
import type { Books } from '../money/books.ts';
import type { ConsensusRunner } from '../consensus/runner.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import type { AnswerJobs } from './answer-jobs.ts';

/** The core services a command may use; built once by the composition root. */
export interface HiveContext {
  runner: JobRunner;
  /** Runs `/consensus`: several vendors' models at once and a verdict. */
  consensus: ConsensusRunner;
  keys: KeyService;
  evidence: EvidenceStore;
  ledger: Ledger;
  settings: SettingsService;
  pacer: Pacer;
  books: Books;
  /** The price table this Hive runs on: model menus, lane checks and `--model` refusals read it. */
  catalogue: PriceCatalogue;
  log: Logger;
  now(): Date;
  limits: { maxInputChars: number };
  /** Daily digests: which channels have one, what is captured, and the runner for `/digest now`. */
  digests: DigestServices;
  /** Jobs actions may name (re-run, confirm, cancel, feedback), and the actions taken on them. */
  answers: AnswerJobs;
  /** The learned routing policy: its verdicts, and what each workspace's feedback taught it. */
  learned: LearnedPolicy;
  /** A signed link to a workspace's spend page; absent when the pages are off (no `HIVE_PUBLIC_URL`). */
  spendLink?: (workspaceId: string) => string;
  /** The spend page's chart of a period as PNG, for `/hive usage` on platforms that show images. */
  spendChart?: (workspaceId: string, period: { from: string; to: string }) => Promise<Uint8Array>;
}

/** What `/digest` needs of the core. */
export interface DigestServices {
  channels: DigestChannels;
  messages: CapturedMessages;
  runs: DigestRuns;
  runner: DigestRunner;
  /** Reading a channel's last day from its platform when its digest is turned on. */
  backfills: Backfills;
  /** How long captured messages are kept. */
  retentionHours: number;
}

/** One user verb, written once for every platform. */
export interface Command extends CommandTraits {
  summary: string;
  usage: string;
  run(inv: Invocation, ctx: HiveContext): Promise<Reply>;
}
