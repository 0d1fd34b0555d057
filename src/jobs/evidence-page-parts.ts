import type { CallRecord, EvidenceView } from '../evidence/evidence-store.ts';
import { priceAt } from '../models/price-catalogue.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';
import { formatLatency, formatUsd } from '../money/footer.ts';
import type { PageSection, PageTable } from './page-model.ts';

/** Every model call in order, answered or failed, with what it was asked, what served it and what it cost. */
export function callsTable(v: EvidenceView, catalogue?: Pick<PriceCatalogue, 'find'>): PageTable {
  return {
    caption: 'Every call made for this answer, in order',
    head: ['#', 'Vendor', 'Model asked', 'Model served', 'Request id', 'Attempt', 'Outcome', 'Latency', 'Usage', 'Price row', 'Cost'],
    rows: v.calls.map((c, i) => [
      String(i + 1),
      c.vendor,
      c.model,
      [c.responseModel, c.pricedAs ? `priced as ${c.pricedAs}` : undefined].filter(Boolean).join(', '),
      c.requestId ?? '',
      c.attempt ?? '',
      outcome(c),
      formatLatency(c.latencyMs),
      usage(c),
      priceRow(c, v.createdAt, catalogue),
      cost(c),
    ]),
  };
}

function outcome(c: CallRecord): string {
  if (c.outcome === 'ok') return c.finishReason ? `ok (${c.finishReason.unified})` : 'ok';
  return c.error ? `error: ${c.error.code}${c.error.kind ? ` (${c.error.kind})` : ''}: ${c.error.message}` : 'error';
}

function usage(c: CallRecord): string {
  const u = c.usage;
  if (!u) return 'not reported';
  const parts = [`${u.inputTokens} in`, `${u.outputTokens} out`];
  if (u.cacheReadTokens) parts.push(`${u.cacheReadTokens} cache read`);
  if (u.cacheWriteTokens) parts.push(`${u.cacheWriteTokens} cache write`);
  if (u.reasoningTokens) parts.push(`${u.reasoningTokens} reasoning`);
  if (u.serviceTier) parts.push(`tier ${u.serviceTier}`);
  if (u.inferenceGeo) parts.push(`geo ${u.inferenceGeo}`);
  return parts.join(', ');
}

/** The rates the call was priced at, per million tokens, and the day they were checked. */
function priceRow(c: CallRecord, at: string, catalogue?: Pick<PriceCatalogue, 'find'>): string {
  const model = catalogue?.find(c.vendor, c.pricedAs ?? c.model);
  const price = model ? priceAt(model, new Date(c.startedAt || at)) : undefined;
  const checked = c.priceChecked ? `checked ${c.priceChecked}` : 'no price';
  if (!price) return checked;
  return `$${price.input} in, $${price.output} out per 1M tokens (${checked}, ${price.source})`;
}

function cost(c: CallRecord): string {
  if (c.costUsd === null) return 'cost unknown';
  return c.estimated ? `≈${formatUsd(c.costUsd)} (estimated: ${c.estimated})` : formatUsd(c.costUsd);
}

/** A consensus's members, verdict, agreement and disagreements, as far as the record holds them. */
export function consensusSections(v: EvidenceView): PageSection[] {
  const d = v.details;
  if (!d || d.kind !== 'consensus') return [];
  const members = Array.isArray(d.members) ? (d.members as Record<string, unknown>[]) : [];
  const out: PageSection[] = [
    {
      heading: 'Consensus members',
      tables: [
        {
          caption: 'Each member, side by side',
          head: ['Model', 'Status', 'Why', 'Latency', 'Cost'],
          rows: members.map((m) => [text(m.model), text(m.status), text(m.reason), latency(m.latencyMs), usd(m.costUsd)]),
        },
      ],
    },
  ];
  const verdict = d.verdict as Record<string, unknown> | undefined;
  if (verdict) out.push(verdictSection(verdict));
  return out;
}

function verdictSection(verdict: Record<string, unknown>): PageSection {
  const points = Array.isArray(verdict.pointsOfAgreement) ? verdict.pointsOfAgreement.map(text) : [];
  const disagreements = Array.isArray(verdict.disagreements) ? (verdict.disagreements as Record<string, unknown>[]) : [];
  const rows = disagreements.flatMap((x) =>
    (Array.isArray(x.sides) ? (x.sides as Record<string, unknown>[]) : []).map((s) => [
      text(x.topic),
      Array.isArray(s.models) ? s.models.map(text).join(', ') : '',
      text(s.position),
    ]),
  );
  return {
    heading: 'Verdict',
    facts: [
      ['Method', text(verdict.method)],
      ['Agreement', verdict.agreement === null || verdict.agreement === undefined ? 'not measured' : text(verdict.agreement)],
      ...(verdict.note ? [['Note', text(verdict.note)] as [string, string]] : []),
    ],
    ...(points.length > 0 ? { notes: points.map((p) => `Agreed: ${p}`) } : {}),
    ...(rows.length > 0 ? { tables: [{ caption: 'Disagreements', head: ['Topic', 'Models', 'Position'], rows }] } : {}),
  };
}

/** A stored value as text: records are JSON, so anything not a string is shown as JSON. */
function text(x: unknown): string {
  if (x === undefined || x === null) return '';
  return typeof x === 'string' ? x : JSON.stringify(x);
}

function latency(x: unknown): string {
  return typeof x === 'number' ? formatLatency(x) : '';
}

function usd(x: unknown): string {
  return typeof x === 'number' ? formatUsd(x) : 'cost unknown';
}
