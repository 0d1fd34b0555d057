import { CLAUDE_5_HIGH, CLAUDE_5_MEDIUM } from './model-rule-sets.ts';
import type { ModelEntryInput } from './price-schema.ts';

const OLD = '2026-11-24';
/** The day every served row below was last compared with its source. */
const NOW = '2026-12-07';
const PRICING = 'https://platform.claude.com/docs/en/about-claude/pricing';
const LONG = `${PRICING} (and its long-context table)`;
const page = (m: string) => `https://platform.claude.com/docs/en/models/${m}/overview`;
/** US-only inference (`inference_geo: "us"`) costs 1.1× on every token for Opus/Sonnet 4.6 and later models. */
const US_ONLY = { us: 1.1 };
const SONNET_4_LONG = { aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 };

// Anthropic: batch halves input and output (cache rates follow input). Since Claude 5.5 the cache
// read multiplier varies by model (0.1×, 0.05× on Opus/Sonnet 5.5, 0.025× on Fable 5.1): each row
// carries the page's own numbers. A price table reads best one model per line.
// prettier-ignore
const ROWS: readonly ModelEntryInput[] = [
  {
    vendor: 'anthropic', id: 'claude-haiku-5-5', inferenceGeo: US_ONLY, label: 'Claude Haiku 5.5', lane: 'cheap', rules: CLAUDE_5_MEDIUM,
    prices: [{
      input: 0.1, output: 0.5, cacheRead: 0.01, cacheWrite5m: 0.125, cacheWrite1h: 0.2, batch: { input: 0.05, output: 0.25 },
      longContext: { aboveInputTokens: 100_000, input: 0.5, output: 2.5, cacheRead: 0.05, cacheWrite5m: 0.625, cacheWrite1h: 1 },
      checked: NOW, source: page('haiku-5-5'),
    }],
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-5-5', inferenceGeo: US_ONLY, label: 'Claude Sonnet 5.5', lane: 'balanced', rules: CLAUDE_5_HIGH,
    prices: [
      { until: '2026-10-07', input: 2, output: 10, cacheRead: 0.2, cacheWrite5m: 2.5, cacheWrite1h: 4, batch: { input: 1, output: 5 }, checked: NOW, source: page('sonnet-5-5') },
      { from: '2026-10-07', input: 2, output: 10, cacheRead: 0.1, cacheWrite5m: 2.5, cacheWrite1h: 4, batch: { input: 1, output: 5 }, checked: NOW, source: `${page('sonnet-5-5')}; $0.10 cache read: secondary` },
    ],
    // The page's stored copies still show $0.20; the cut and its date come from kurofune/claudit v1.9.2
    // (read against the live pricing page 2026-10-24) and TheKrush/PromptFuel v1.0.23 release notes.
    note: 'cache reads cut 2026-10-07',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-5-5', inferenceGeo: US_ONLY, label: 'Claude Opus 5.5', lane: 'deep', rules: CLAUDE_5_MEDIUM,
    prices: [{ input: 4, output: 20, cacheRead: 0.2, cacheWrite5m: 5, cacheWrite1h: 8, batch: { input: 2, output: 10 }, checked: NOW, source: 'https://platform.claude.com/docs/zh-CN/models/opus-5-5/overview' }],
  },
  {
    vendor: 'anthropic', id: 'claude-fable-5-2', inferenceGeo: US_ONLY, label: 'Claude Fable 5.2', lane: 'deep', rules: CLAUDE_5_HIGH,
    prices: [{ input: 8, output: 40, cacheRead: 0.2, cacheWrite5m: 10, cacheWrite1h: 16, batch: { input: 4, output: 20 }, checked: NOW, source: 'secondary: docs.laozhang.ai, phuryn/claude-usage v1.5.7' }],
    // Also archid21/rightsize v0.10.2 release notes; claude-usage read platform.claude.com on 2026-12-01.
    note: 'released 2026-11-09',
  },
  {
    vendor: 'anthropic', id: 'claude-fable-5-1', inferenceGeo: US_ONLY, label: 'Claude Fable 5.1', lane: 'deep', rules: CLAUDE_5_HIGH,
    prices: [{ input: 10, output: 50, cacheRead: 0.25, cacheWrite5m: 12.5, cacheWrite1h: 20, batch: { input: 5, output: 25 }, checked: NOW, source: PRICING }],
  },
  {
    vendor: 'anthropic', id: 'claude-fable-5', inferenceGeo: US_ONLY, label: 'Claude Fable 5', lane: 'deep', rules: CLAUDE_5_HIGH,
    prices: [{ input: 10, output: 50, cacheRead: 1, cacheWrite5m: 12.5, cacheWrite1h: 20, batch: { input: 5, output: 25 }, checked: NOW, source: PRICING }],
    // Also its overview, platform.claude.com/docs/en/models/fable-5/overview: legacy, released 2026-06-09.
    note: 'legacy',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-5', inferenceGeo: US_ONLY, label: 'Claude Opus 5', lane: 'deep', rules: CLAUDE_5_HIGH,
    prices: [{ input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, batch: { input: 2.5, output: 12.5 }, checked: NOW, source: PRICING }],
    // Retires not sooner than 2027-07-24.
    note: 'legacy',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-8', inferenceGeo: US_ONLY, label: 'Claude Opus 4.8', lane: 'deep',
    prices: [{ input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, batch: { input: 2.5, output: 12.5 }, checked: NOW, source: PRICING }],
    // Also its overview, platform.claude.com/docs/en/models/opus-4-8/overview: legacy, released 2026-05-28, 1M context.
    note: 'legacy',
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-5', inferenceGeo: US_ONLY, label: 'Claude Sonnet 5', lane: 'balanced', rules: CLAUDE_5_HIGH,
    prices: [{ input: 2, output: 10, cacheRead: 0.2, cacheWrite5m: 2.5, cacheWrite1h: 4, batch: { input: 1, output: 5 }, checked: NOW, source: 'https://platform.claude.com/docs/zh-CN/models/sonnet-5/overview' }],
    // The planned rise to $3/$15 was cancelled.
    note: 'legacy',
  },
  {
    vendor: 'anthropic', id: 'claude-3-5-haiku', label: 'Claude Haiku 3.5', lane: 'cheap',
    aliases: ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'],
    prices: [{ input: 0.8, output: 4, cacheRead: 0.08, cacheWrite5m: 1, cacheWrite1h: 1.6, batch: { input: 0.4, output: 2 }, checked: OLD, source: PRICING }],
    retired: { successor: 'claude-haiku-5-5' },
    note: 'retired on the Claude API; still served by Google Cloud Vertex AI',
  },
  {
    vendor: 'anthropic', id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', lane: 'cheap', aliases: ['claude-haiku-4-5-20251001'],
    prices: [{ input: 1, output: 5, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2, batch: { input: 0.5, output: 2.5 }, checked: NOW, source: PRICING }],
    note: 'legacy',
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-4', label: 'Claude Sonnet 4', lane: 'balanced', aliases: ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
    prices: [{ input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, batch: { input: 1.5, output: 7.5 }, longContext: SONNET_4_LONG, checked: OLD, source: LONG }],
    retired: { on: '2026-06-15', successor: 'claude-sonnet-5-5' },
    note: 'retired on the Claude API 2026-06-15; still served by Amazon Bedrock / Google Cloud',
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', lane: 'balanced', aliases: ['claude-sonnet-4-5-20250929'],
    prices: [{ input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, batch: { input: 1.5, output: 7.5 }, longContext: SONNET_4_LONG, checked: OLD, source: LONG }],
    retired: { on: '2026-11-30', successor: 'claude-sonnet-5-5' },
    note: 'retired from the Claude API 2026-11-30',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4', label: 'Claude Opus 4', lane: 'deep', aliases: ['claude-opus-4-20250514', 'claude-opus-4-0'],
    prices: [{ input: 15, output: 75, cacheRead: 1.5, cacheWrite5m: 18.75, cacheWrite1h: 30, batch: { input: 7.5, output: 37.5 }, checked: OLD, source: PRICING }],
    retired: { on: '2026-06-15', successor: 'claude-opus-5-5' },
    note: 'retired on the Claude API 2026-06-15; still served by Google Cloud',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-1', label: 'Claude Opus 4.1', lane: 'deep', aliases: ['claude-opus-4-1-20250805'],
    prices: [{ input: 15, output: 75, cacheRead: 1.5, cacheWrite5m: 18.75, cacheWrite1h: 30, batch: { input: 7.5, output: 37.5 }, checked: OLD, source: PRICING }],
    retired: { successor: 'claude-opus-5-5' },
    note: 'retired on the Claude API; still served by Amazon Bedrock and Google Cloud',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-5', label: 'Claude Opus 4.5', lane: 'deep', aliases: ['claude-opus-4-5-20251101'],
    prices: [{ input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, batch: { input: 2.5, output: 12.5 }, checked: NOW, source: PRICING }],
    retired: { on: '2027-01-22', successor: 'claude-opus-5-5' },
    note: 'retires 2027-01-22',
  },
  {
    // Its 1M window bills at the standard rates; the >200k premium of the Sonnet 4 and 4.5 betas does not apply.
    vendor: 'anthropic', id: 'claude-sonnet-4-6', inferenceGeo: US_ONLY, label: 'Claude Sonnet 4.6', lane: 'balanced',
    prices: [{ input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6, batch: { input: 1.5, output: 7.5 }, checked: NOW, source: page('sonnet-4-6') }],
    note: 'legacy',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-6', inferenceGeo: US_ONLY, label: 'Claude Opus 4.6', lane: 'deep',
    prices: [{ input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, batch: { input: 2.5, output: 12.5 }, checked: NOW, source: PRICING }],
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-7', inferenceGeo: US_ONLY, label: 'Claude Opus 4.7', lane: 'deep',
    prices: [{ input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10, batch: { input: 2.5, output: 12.5 }, checked: NOW, source: PRICING }],
    note: 'new tokenizer: ~1.35× the tokens',
  },
];

/**
 * Priority Tier is capacity committed in advance: its tokens draw down the commitment at the
 * standard rates, so a call the usage reports as `priority` is billed as standard.
 */
export const ANTHROPIC_MODELS: readonly ModelEntryInput[] = ROWS.map((m) => ({ serviceTiers: { priority: 1 }, ...m }));
