import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import type { EvidenceView, CallRecord, EvidenceFile } from '../src/evidence/evidence-store.ts';
import { formatBytes, shownName } from '../src/files/file-words.ts';
import { formatLatency, formatUsd } from '../src/money/footer.ts';
import { mayReadEvidence } from './evidence-access.ts';
import type { HiveVerb } from './hive-verb.ts';
import { term } from '../src/shared/platform-terms.ts';

const MAX_SHOWN = 1500;
const USAGE = '/hive evidence <id>';
/** Evidence ids are 26 Crockford base-32 characters (ULID-like); anything else is never looked up. */
const EVIDENCE_ID = /^[0-9A-Za-z]{26}$/;

/**
 * `/hive evidence <id>`: how an answer was formed, for those who could read the answer (see
 * `mayReadEvidence`). An unknown id and a record the asker may not read get the same words, so
 * the reply never tells whether a record exists.
 */
export const evidenceVerb: HiveVerb = {
  name: 'evidence',
  usage: USAGE,
  summary: 'Show the audit record behind a footer.',
  async run(inv, ctx, args) {
    const text = args.trim();
    if (!text) throw new UserError(`Which evidence id? It is at the end of every footer.\nUsage: ${USAGE}`, 'usage');
    if (!EVIDENCE_ID.test(text))
      throw new UserError(
        `"${shown(text)}" is not an evidence id: copy the 26 letters and digits after "evidence" at the end of a footer.\nUsage: ${USAGE}`,
        'usage',
      );
    const id = text.toUpperCase();
    const view = await ctx.evidence.get(id, inv.workspaceId);
    if (!view || !(await mayReadEvidence(inv, view)))
      throw new UserError(
        `Evidence ${id} cannot be shown here. Ask for it in the conversation where its answer was given; the person who asked and ${term.admins()} can see it anywhere.`,
        'not_found',
      );
    return { text: renderEvidence(view), visibility: 'private' };
  },
};

/** A readable summary of an evidence record for chat. */
export function renderEvidence(v: EvidenceView): string {
  const total = v.totalCostUsd === null ? 'cost unknown' : formatUsd(v.totalCostUsd);
  const lines = [
    `*Evidence ${v.id}* · ${v.createdAt} · /${v.command} by ${term.user(v.userId)} in ${term.channel(v.channelId)}`,
    `Lane: ${v.lane} (${v.laneReason}) · status ${v.status} · total ${total} · prices as of ${v.priceTableVersion}`,
    ...v.calls.map((c, i) => `${i + 1}. ${callLine(c)}`),
    ...(v.files?.length ? ['*Files* (kept by name, type, size and hash; never their content)', ...v.files.map(fileLine)] : []),
  ];
  if (v.content === 'expired') {
    lines.push(`_Prompt and answer expired on ${v.contentExpiresAt?.slice(0, 10) ?? 'the retention date'}._`);
  } else {
    const prompt = v.content.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
    lines.push('*Prompt*', fence(prompt), '*Answer*', fence(v.content.answer ?? '(none)'));
  }
  return lines.join('\n');
}

function callLine(c: CallRecord): string {
  const usage = c.usage ? `${c.usage.inputTokens}→${c.usage.outputTokens} tok` : 'no usage reported';
  const cost = c.costUsd === null ? 'cost unknown' : formatUsd(c.costUsd);
  const outcome = c.outcome === 'ok' ? `finish ${c.finishReason?.raw ?? c.finishReason?.unified ?? '?'}` : `failed: ${c.error?.code}`;
  return `${c.vendor}:${c.model} · ${c.attempt ?? 'call'} · request ${c.requestId ?? '?'} · ${formatLatency(c.latencyMs)} · ${usage} · ${cost} (prices ${c.priceChecked ?? 'n/a'}) · ${outcome}`;
}

function fileLine(f: EvidenceFile): string {
  const pages = f.pages === undefined ? '' : ` · ${f.pages} page${f.pages === 1 ? '' : 's'}`;
  return `- ${shownName(f.name)} · ${f.mediaType} · ${formatBytes(f.bytes)}${pages} · sha256 ${f.sha256}`;
}

function fence(text: string): string {
  const t = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} chars)` : text;
  return '```\n' + t.replaceAll('```', 'ʼʼʼ') + '\n```';
}
