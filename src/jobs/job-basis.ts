import { scopesFor, type BudgetScope } from '../money/budget.ts';
import { trimHistory } from '../models/model-rules.ts';
import type { JobOrigin } from './job-record.ts';
import type { KeyService, UsableKey } from '../keys/key-service.ts';
import type { LaneTable, SettingsService, WorkspaceSettings } from '../settings/settings.ts';
import type { ChatMessage, ModelRequest, Vendor } from '../shared/provider-spec.ts';
import { UserError } from '../shared/errors.ts';
import { PASTED_KEY_WORDS, pastedKey } from '../models/pasted-key.ts';
import { term } from '../shared/platform-terms.ts';
import type { SecretRegistry, SecretScrubber } from '../shared/secrets.ts';

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
  /** Known keys and tokens: a question carrying the operator's or its own workspace's is refused, a thread turn carrying one is masked. */
  secrets?: SecretRegistry | undefined;
}

/** The thread-context budget when the operator sets none. */
const DEFAULT_HISTORY_BUDGET_TOKENS = 8000;

/** Loads the basis shared by `/ask` and `/consensus`, with the thread trimmed to its token budget. */
export async function loadJobBasis(d: JobBasisDeps, origin: JobOrigin, question: string, history: ChatMessage[] | undefined, at: Date): Promise<JobBasis> {
  const ws = origin.workspaceId;
  // The workspace's keys are opened (and so known to the registry) before the question is checked against them.
  const [settings, usable, lanes] = await Promise.all([d.settings.get(ws), d.keys.usable(ws), d.settings.lanes(ws)]);
  const own = d.secrets?.forWorkspace(ws);
  refuseSecrets(question, own);
  const masked = own ? (history ?? []).map((m) => ({ ...m, content: own.scrub(m.content) })) : (history ?? []);
  const trimmed = trimHistory(masked, d.historyBudgetTokens ?? DEFAULT_HISTORY_BUDGET_TOKENS);
  const request: ModelRequest = {
    model: '',
    system: d.system,
    messages: [...trimmed.messages, { role: 'user', content: question }],
    maxTokens: d.maxOutputTokens,
  };
  return { settings, request, dropped: trimmed.dropped, usable, lanes, scopes: scopesFor(origin, settings.budgets, at) };
}

/**
 * A question that carries an API key or token (a registered one, or one shaped like a vendor's) is
 * refused before any model, log or evidence record sees it: pasted by mistake, it would otherwise be
 * sent to a vendor and kept in the audit record for 400 days.
 */
function refuseSecrets(question: string, secrets: SecretScrubber | undefined): void {
  const found = secrets && pastedKey(question, secrets);
  if (!found) return;
  throw new UserError(
    `This message contains ${PASTED_KEY_WORDS} Remove it and send the question again; to register a key, use ${term.addKey(found.vendor)}.`,
    'secret_in_question',
  );
}
