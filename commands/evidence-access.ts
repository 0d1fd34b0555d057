import type { Invocation } from '../src/chat/invocation.ts';
import type { EvidenceRecord } from '../src/evidence/evidence-store.ts';

/**
 * Whether the asker may read an evidence record: it holds the prompt and the answer, so it goes to
 * the person who asked, to admins, and to members of the conversation the answer was given in
 * (by the platform's own membership), never to whoever merely has the id.
 */
export async function mayReadEvidence(inv: Invocation, record: Pick<EvidenceRecord, 'userId' | 'channelId' | 'threadId'>): Promise<boolean> {
  if (record.userId === inv.userId) return true;
  if (await inv.isAdmin()) return true;
  if (inv.canRead) return inv.canRead({ channelId: record.channelId, ...(record.threadId ? { threadId: record.threadId } : {}) });
  return record.channelId === inv.channelId && (record.threadId === undefined || record.threadId === inv.threadId);
}
