import type { Reply } from '../../../src/invocation.ts';

/** Plain-text rendering of a reply: numbered so concurrent answers can be matched to their line. */
export function renderTerminalReply(reply: Reply, n: number): string {
  const out: string[] = [];
  const head = reply.question ? `[${n}] > ${reply.question}` : `[${n}]`;
  out.push(reply.tone === 'error' ? `${head}\n! ${reply.text}` : `${head}\n${reply.text}`);
  for (const s of reply.sections ?? []) out.push(`\n${s.title}\n${s.text}`);
  if (reply.footer) out.push(`— ${reply.footer}`);
  return `${out.join('\n')}\n`;
}
