import type { Reply } from '../src/chat/invocation.ts';
import { findModel } from '../src/money/models.ts';
import { MODELS, type ModelInfo } from '../src/money/prices.ts';
import { LANES, type ModelRef, type Vendor } from '../src/types.ts';
import { VENDOR_INFO } from '../src/vendors/vendor-info.ts';
import type { HiveVerb } from './hive-verb.ts';
import { formatUsd } from '../src/money/footer.ts';

/** `/hive models`: the model menu with prices, and which models this workspace's keys can use. */
export const modelsVerb: HiveVerb = {
  name: 'models',
  usage: '/hive models',
  summary: 'The model menu by lane, with prices and which ones your keys can use.',
  async run(inv, ctx) {
    const lanes = await ctx.settings.lanes(inv.workspaceId);
    const usable = new Set((await ctx.keys.list(inv.workspaceId)).filter((k) => k.health === 'ok' || k.health === 'unverified').map((k) => k.vendor));
    const lines: string[] = [];
    for (const lane of LANES) {
      lines.push(`*${lane}*`);
      for (const ref of lanes[lane]) lines.push(`• ${modelLine(ref, usable)}`);
    }
    const inLanes = new Set(LANES.flatMap((l) => lanes[l].map((r) => `${r.vendor}:${findModel(r.vendor, r.model)?.id ?? r.model}`)));
    const others = MODELS.filter((m) => !inLanes.has(`${m.vendor}:${m.id}`));
    if (others.length > 0) {
      lines.push('*also addressable with --model*');
      for (const m of others) lines.push(`• ${modelLine({ vendor: m.vendor, model: m.id }, usable)}`);
    }
    lines.push('_Prices in USD per 1M tokens, input/output; ✓ = a usable key is registered._');
    return { text: lines.join('\n'), visibility: 'private' } satisfies Reply;
  },
};

function modelLine(ref: ModelRef, usable: ReadonlySet<Vendor>): string {
  const info = findModel(ref.vendor, ref.model);
  const mark = usable.has(ref.vendor) ? '✓' : '✗';
  return `${mark} \`${ref.vendor}:${ref.model}\` (${VENDOR_INFO[ref.vendor].label}) ${priceText(info)}`;
}

function priceText(info: ModelInfo | undefined): string {
  if (!info?.price) return '· price unknown';
  const p = info.price;
  const cache = p.cacheRead !== undefined ? `, cached in ${formatUsd(p.cacheRead)}` : '';
  return `· ${formatUsd(p.input)}/${formatUsd(p.output)}${cache} (checked ${p.checked})${info.note ? ` · ${info.note}` : ''}`;
}
