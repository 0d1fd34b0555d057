import { endWords, MEMBER_END_WORDS } from '../routing/failure-words.ts';
import { formatLatency, formatUsd } from '../money/footer.ts';
import type { Reply, ReplySection } from '../chat/invocation.ts';
import { VENDOR_INFO } from '../models/vendor-info.ts';
import { agreementLine, listNames } from './agreement.ts';
import { extractAnswer } from '../models/answer-extract.ts';
import type { ConsensusResult } from './runner.ts';
import type { MemberOutcome, SynthesisTrail, Verdict } from './types.ts';

/** Longest answer shown in a side-by-side section; the evidence keeps every answer in full. */
const SIDE_BY_SIDE_CHARS = 1500;

/** The neutral reply every adapter renders: verdict, agreement line, disagreements, members, footer. */
export function renderConsensusReply(r: ConsensusResult): Reply {
  const line = agreementLine(r.verdict, r.outcomes);
  const text = [r.alone ? `_${r.alone}_` : '', r.verdict.answer, `_${line}_`].filter((t) => t !== '').join('\n\n');
  const sections: ReplySection[] = [
    ...disagreementSection(r.verdict),
    ...(r.verdict.pointsOfAgreement.length > 0 ? [{ title: 'Points of agreement', text: r.verdict.pointsOfAgreement.map((p) => `- ${p}`).join('\n') }] : []),
    ...(r.verdict.method === 'side_by_side' ? sideBySide(r.outcomes, r.evidenceId) : []),
    { title: 'Members', text: [...r.outcomes.map((m) => memberLine(m, r.verdict)), ...(r.synthesis ? [synthesisLine(r.synthesis)] : [])].join('\n') },
  ];
  return { text, question: r.question, footer: r.footer, visibility: 'channel', sections };
}

function disagreementSection(v: Verdict): ReplySection[] {
  if (v.disagreements.length === 0) return [];
  const lines = v.disagreements.map((d) => `- **${d.topic}**: ${d.sides.map((s) => `${listNames(s.models.map((m) => m.model))}: ${s.position}`).join('; ')}`);
  return [{ title: 'Disagreements', text: lines.join('\n') }];
}

function sideBySide(outcomes: readonly MemberOutcome[], evidenceId: string): ReplySection[] {
  return outcomes
    .filter((m) => m.status === 'ok')
    .map((m) => {
      const full = m.text ?? '';
      const cut = full.length > SIDE_BY_SIDE_CHARS ? `${full.slice(0, SIDE_BY_SIDE_CHARS)}… (cut; the full answer is in evidence ${evidenceId})` : full;
      return { title: `${m.ref.model} answered`, text: cut };
    });
}

function memberLine(m: MemberOutcome, v: Verdict): string {
  const who = `${m.ref.model} (${VENDOR_INFO[m.ref.vendor].label})`;
  const what = m.status === 'ok' ? answerLabel(m.text ?? '', v) : `${endWords(m.status)}: ${m.reason ?? 'unknown reason'}`;
  return `- ${who}: ${what} · ${formatLatency(m.latencyMs)} · ${cost(m.costUsd)}`;
}

function answerLabel(text: string, v: Verdict): string {
  if (v.method !== 'vote') return 'answered';
  return `answered ${extractAnswer(text)?.display ?? ''}`.trim();
}

function synthesisLine(s: SynthesisTrail): string {
  const what = s.ok
    ? `synthesis${s.outputs.length > 1 ? ' (after one repair)' : ''}`
    : `synthesis ${MEMBER_END_WORDS.failed}: ${s.failure ?? 'unknown reason'}`;
  return `- ${s.ref.model} (${VENDOR_INFO[s.ref.vendor].label}): ${what} · ${formatLatency(s.latencyMs)} · ${cost(s.costUsd)}`;
}

function cost(usd: number | undefined): string {
  return usd === undefined ? 'cost unknown' : formatUsd(usd);
}
