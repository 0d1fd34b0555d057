import { scopesFor, type BudgetScope } from '../money/budget.ts';
import { trimHistory } from './context-window.ts';
import type { JobOrigin } from './job-record.ts';
import type { KeyService, UsableKey } from '../keys/key-service.ts';
import type { LaneTable, SettingsService, WorkspaceSettings } from '../store/settings.ts';
import type { ChatMessage, ModelRequest, Vendor } from '../types.ts';

/** What every model job reads before deciding anything: settings, keys, lanes, budgets, the request. */
export interface JobBasis {
  settings: WorkspaceSettings;
  request: ModelRequest;
  /** Thread turns dropped to fit the context budget. */
  dropped: number;
  usable: Map<Vendor, UsableKey>;
  lanes: LaneTable;
  scopes: BudgetScope[];
}

export interface JobBasisDeps {
  keys: KeyService;
  settings: SettingsService;
  maxOutputTokens: number;
  /** Tokens of thread context a job may send; older turns beyond it are dropped (and the footer says so). */
  historyBudgetTokens?: number | undefined;
  system: string;
}

/** The thread-context budget when the operator sets none. */
const DEFAULT_HISTORY_BUDGET_TOKENS = 8000;

/** Loads the basis shared by `/ask` and `/consensus`, with the thread trimmed to its token budget. */
export async function loadJobBasis(d: JobBasisDeps, origin: JobOrigin, question: string, history: ChatMessage[] | undefined, at: Date): Promise<JobBasis> {
  const ws = origin.workspaceId;
  const settings = await d.settings.get(ws);
  const trimmed = trimHistory(history ?? [], d.historyBudgetTokens ?? DEFAULT_HISTORY_BUDGET_TOKENS);
  const request: ModelRequest = {
    model: '',
    system: d.system,
    messages: [...trimmed.messages, { role: 'user', content: question }],
    maxTokens: d.maxOutputTokens,
  };
  const [usable, lanes] = await Promise.all([d.keys.usable(ws), d.settings.lanes(ws)]);
  return { settings, request, dropped: trimmed.dropped, usable, lanes, scopes: scopesFor(origin, settings.budgets, at) };
}
