import type { EvidenceStore } from './evidence.ts';
import type { Invocation, Reply } from './invocation.ts';
import type { JobRunner } from './jobs.ts';
import type { KeyService } from './keys.ts';
import type { Ledger } from './ledger.ts';
import type { Logger } from './log.ts';
import type { SettingsService } from './settings.ts';
import type { VendorLanes } from './vendor-lanes.ts';
import type { Books } from './logs/books.ts';
import type { ConsensusRunner } from './consensus/runner.ts';

/** The core services a command may use; built once by the composition root. */
export interface HiveContext {
  runner: JobRunner;
  /** Runs `/consensus`: several vendors' models at once and a verdict. */
  consensus: ConsensusRunner;
  keys: KeyService;
  evidence: EvidenceStore;
  ledger: Ledger;
  settings: SettingsService;
  vendorLanes: VendorLanes;
  books: Books;
  log: Logger;
  now(): Date;
  limits: { maxInputChars: number };
}

/** One user verb, written once for every platform. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(inv: Invocation, ctx: HiveContext): Promise<Reply>;
}
