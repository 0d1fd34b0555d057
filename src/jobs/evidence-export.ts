import type { EvidenceStore, EvidenceView } from '../evidence/evidence-store.ts';
import type { ActionTaken, AnswerBook } from './answer-book.ts';

/** Records read before their actions are looked up at once: one query per page, not per record. */
const PAGE = 200;

/** An exported record: the evidence, with what people did with its answer (votes, re-runs, cancel). */
export type ExportedEvidence = EvidenceView & { actions: ActionTaken[] };

/**
 * Evidence records since `sinceMs`, each with the actions taken on its answer, streamed in pages,
 * so an audit export carries the feedback with the record it judges.
 */
export async function* evidenceWithActions(
  evidence: Pick<EvidenceStore, 'since'>,
  book: Pick<AnswerBook, 'actionsFor'>,
  sinceMs: number,
  workspaceId: string | '*',
): AsyncIterable<ExportedEvidence> {
  let page: EvidenceView[] = [];
  const flush = async function* () {
    const actions = await book.actionsFor(page.map((v) => v.id));
    for (const v of page) yield { ...v, actions: actions.get(v.id) ?? [] };
    page = [];
  };
  for await (const view of evidence.since(sinceMs, workspaceId)) {
    page.push(view);
    if (page.length >= PAGE) yield* flush();
  }
  yield* flush();
}
