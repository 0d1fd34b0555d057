import type { Reply } from '../src/chat/invocation.ts';
import { isRetired } from '../src/models/model-availability.ts';
import type { ModelInfo, Price } from '../src/models/prices.ts';
import { nextPrice, priceAt } from '../src/models/price-catalogue.ts';
import { LANES, formatModelRef, type ModelRef } from '../src/shared/types.ts';
import { type Vendor } from '../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../src/models/vendor-info.ts';
import type { HiveVerb } from './hive-verb.ts';
import { formatUsd } from '../src/money/footer.ts';

/** `/hive models`: the model menu with prices (and where and when each was checked), and which models this workspace's keys can use. */
export const modelsVerb: HiveVerb = {
  name: 'models',
  usage: '/hive models',
  summary: 'The model menu by lane, with prices and which ones your keys can use.',
  async run(inv, ctx) {
    const now = ctx.now();
    const { catalogue } = ctx;
    const sources = createSourceList();
    const noted = new Set<ModelInfo>();
    const lines: string[] = [];
    const line = (ref: ModelRef) => `• ${modelLine(catalogue.find(ref.vendor, ref.model), ref, usable, now, sources, noted)}`;
    const lanes = await ctx.settings.lanes(inv.workspaceId);
    const usable = new Set(
      (await ctx.keys.list(inv.workspaceId)).filter((k) => !k.shadowedBy && (k.health === 'ok' || k.health === 'unverified')).map((k) => k.vendor),
    );
    for (const lane of LANES) {
      lines.push(`*${lane}*`);
      for (const ref of lanes[lane]) lines.push(line(ref));
    }
    const inLanes = new Set(LANES.flatMap((l) => lanes[l].map((r) => `${r.vendor}:${catalogue.find(r.vendor, r.model)?.id ?? r.model}`)));
    const others = catalogue.list().filter((m) => !inLanes.has(`${m.vendor}:${m.id}`));
    const served = others.filter((m) => !isRetired(catalogue, { vendor: m.vendor, model: m.id }, now));
    const retired = others.filter((m) => isRetired(catalogue, { vendor: m.vendor, model: m.id }, now));
    if (served.length > 0) {
      lines.push('*also addressable with --model*');
      for (const m of served) lines.push(line({ vendor: m.vendor, model: m.id }));
    }
    if (retired.length > 0) {
      const pairs = retired.map((m) => `\`${formatModelRef({ vendor: m.vendor, model: m.id })}\` → \`${m.retired?.successor ?? '?'}\``);
      lines.push(`*retired* (priced for past calls, refused with the successor named): ${pairs.join(', ')}`);
    }
    lines.push('_Prices in USD per 1M tokens, input/output, with when each was checked and where [n]; ✓ = a usable key is registered._');
    lines.push(...sources.lines());
    return { text: lines.join('\n'), visibility: 'private' } satisfies Reply;
  },
};

/** Numbers each distinct source once, so every price can say where it came from without repeating long addresses. */
interface SourceList {
  ref(source: string): string;
  lines(): string[];
}

function createSourceList(): SourceList {
  const numbers = new Map<string, number>();
  return {
    ref(source) {
      if (!numbers.has(source)) numbers.set(source, numbers.size + 1);
      return `[${numbers.get(source)}]`;
    },
    lines: () => [...numbers].map(([source, n]) => `[${n}] ${source}`),
  };
}

function modelLine(info: ModelInfo | undefined, ref: ModelRef, usable: ReadonlySet<Vendor>, now: Date, sources: SourceList, noted: Set<ModelInfo>): string {
  const mark = usable.has(ref.vendor) ? '✓' : '✗';
  const note = info?.note && !noted.has(info) ? ` · ${info.note}` : '';
  if (info) noted.add(info);
  return `${mark} \`${ref.vendor}:${ref.model}\` (${VENDOR_INFO[ref.vendor].label}) ${priceText(info, now, sources)}${note}`;
}

function priceText(info: ModelInfo | undefined, now: Date, sources: SourceList): string {
  const p = info ? priceAt(info, now) : undefined;
  if (!info || !p) return '· price unknown';
  const next = nextPrice(info, now);
  const change = next ? ` · from ${next.from}: ${rates(next)} ${sources.ref(next.source)}` : '';
  return `· ${rates(p)}${tier(p)} (checked ${p.checked} ${sources.ref(p.source)})${change}`;
}

function rates(p: Price): string {
  const cache = p.cacheRead !== undefined ? `, cached in ${formatUsd(p.cacheRead)}` : '';
  return `${formatUsd(p.input)}/${formatUsd(p.output)}${cache}`;
}

function tier(p: Price): string {
  const l = p.longContext;
  return l ? `; over ${l.aboveInputTokens.toLocaleString('en-US')} prompt tokens ${formatUsd(l.input)}/${formatUsd(l.output)}` : '';
}
