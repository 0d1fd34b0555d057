import type { EvidenceStore, EvidenceView } from '../evidence/evidence-store.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { formatUsd } from '../money/footer.ts';
import { ruleOf } from '../routing/route-rule.ts';
import { replaceTerms, type PlatformTerm } from '../shared/platform-terms.ts';
import { sumUsage, totalCost } from '../money/usage-math.ts';
import type { ActionTaken, AnswerBook } from './answer-book.ts';
import { callsTable, consensusSections } from './evidence-page-parts.ts';
import type { EvidencePageModel, PageSection, PageTable } from './page-model.ts';

export type { EvidencePageModel, PageSection, PageTable } from './page-model.ts';

export interface EvidencePageDeps {
  evidence: Pick<EvidenceStore, 'get'>;
  answers: Pick<AnswerBook, 'actionsFor'>;
  /** Names the price row each call was priced with. */
  catalogue?: Pick<PriceCatalogue, 'find'>;
}

/** Loads one workspace's record as its page; undefined for an unknown id or another workspace's record. */
export async function loadEvidencePage(d: EvidencePageDeps, id: string, workspaceId: string): Promise<EvidencePageModel | undefined> {
  const view = await d.evidence.get(id, workspaceId);
  if (!view) return undefined;
  const actions = (await d.answers.actionsFor([view.id])).get(view.id) ?? [];
  return evidencePage(view, actions, d.catalogue);
}

/** The page of a record: the question as sent, the route, every call, consensus, feedback, and the total. */
export function evidencePage(v: EvidenceView, actions: readonly ActionTaken[], catalogue?: EvidencePageDeps['catalogue']): EvidencePageModel {
  return {
    title: `Evidence ${v.id}`,
    summary: summary(v),
    sections: [
      questionSection(v),
      routeSection(v),
      { heading: 'Model calls', tables: [callsTable(v, catalogue)] },
      ...consensusSections(v),
      answerSection(v),
      actionsSection(actions),
    ].filter((s): s is PageSection => s !== undefined),
  };
}

function summary(v: EvidenceView): [string, string][] {
  const cost = v.totalCostUsd ?? totalCost(v.calls);
  const estimated = v.calls.find((c) => c.estimated)?.estimated;
  const usage = sumUsage(v.calls);
  return [
    ['Answered', v.createdAt],
    ['Command', `/${v.command}`],
    ['Workspace', v.workspaceId],
    ['Where', `${v.platform} channel ${v.channelId}${v.threadId ? `, thread ${v.threadId}` : ''}`],
    ['Asked by', v.userId],
    ['Outcome', v.status === 'ok' ? 'answered' : `failed: ${v.error?.code ?? 'error'}${v.error ? ` (${v.error.message})` : ''}`],
    ['Tokens', `${usage.inputTokens} in, ${usage.outputTokens} out`],
    ['Total cost', cost === null || cost === undefined ? 'cost unknown' : estimated ? `≈${formatUsd(cost)} (estimated: ${estimated})` : formatUsd(cost)],
    ['Price table', v.priceTableVersion],
    ...(v.footer ? [['Footer as shown', replaceTerms(v.footer, plainTerm)] as [string, string]] : []),
  ];
}

/** A platform term as a page shows it: an option as typed in a shell (`--model`), the rest in words. */
function plainTerm(t: PlatformTerm): string {
  return t.kind === 'option' ? `--${t.flag}` : t.kind === 'admins' ? 'workspace admins' : '/hive keys';
}

/** When the prompts and answers go (or went): they are kept for less time than the record. */
function retention(v: EvidenceView): string {
  if (v.content !== 'expired') return `Prompts and answers are kept until ${v.contentExpiresAt ?? 'the retention period ends'}.`;
  return v.contentExpiresAt
    ? `Prompts and answers were cleared on ${v.contentExpiresAt} (the retention period); the record below remains.`
    : 'Prompts and answers were not kept for this record.';
}

function questionSection(v: EvidenceView): PageSection {
  const files: PageTable[] = v.files?.length
    ? [
        {
          caption: 'Files read (never their content)',
          head: ['Name', 'Type', 'Bytes', 'Pages', 'SHA-256'],
          rows: v.files.map((f) => [f.name, f.mediaType, String(f.bytes), f.pages === undefined ? '' : String(f.pages), f.sha256]),
        },
      ]
    : [];
  const base = { heading: 'Question as sent', notes: [retention(v)], tables: files };
  if (v.content === 'expired') return base;
  const turns = v.content.messages;
  const last = turns.at(-1);
  return {
    ...base,
    texts: [
      ...(v.content.system ? [{ label: 'System prompt', text: v.content.system }] : []),
      ...turns.slice(0, -1).map((m, i) => ({ label: `Thread context ${i + 1} (${m.role})`, text: m.content })),
      ...(last ? [{ label: 'Question', text: last.content }] : []),
    ],
  };
}

function routeSection(v: EvidenceView): PageSection {
  return {
    heading: 'Route',
    facts: [
      ['Lane', v.lane],
      ['Why', v.laneReason],
      ['Rule (as counted in /hive routing)', ruleOf(v.laneReason)],
      ...(v.laneReason.includes(', budget')
        ? [['Budget', 'stepped down to a cheaper lane to fit a budget (the footer says which and how full)'] as [string, string]]
        : []),
    ],
  };
}

function answerSection(v: EvidenceView): PageSection | undefined {
  if (v.content === 'expired') return undefined;
  const texts = [
    ...(v.content.answer !== null ? [{ label: 'Answer', text: v.content.answer }] : []),
    ...(v.content.candidates ?? []).map((c) => ({ label: `Answer of ${c.model}`, text: c.text })),
  ];
  return texts.length > 0 ? { heading: 'Answer', texts } : undefined;
}

function actionsSection(actions: readonly ActionTaken[]): PageSection {
  if (actions.length === 0) return { heading: 'Feedback and actions', notes: ['None taken on this answer.'] };
  return {
    heading: 'Feedback and actions',
    tables: [
      {
        caption: 'Taken on this answer, oldest first',
        head: ['When', 'Action', 'By'],
        rows: actions.map((a) => [new Date(a.at).toISOString(), a.kind, a.userId]),
      },
    ],
  };
}
