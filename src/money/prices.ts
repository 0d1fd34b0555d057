import type { LaneName, Vendor } from '../types.ts';

/** USD per 1M tokens for one pricing tier; cache rates are optional because not every vendor bills them. */
export interface TokenRates {
  input: number;
  output: number;
  /** Cache hits. Absent: the model has no read discount and reads bill at `input`. */
  cacheRead?: number;
  /** 5-minute cache writes (Anthropic). Absent: no write fee, writes bill at `input`. */
  cacheWrite5m?: number;
  /** 1-hour cache writes (Anthropic). Absent: writes bill at `input`. */
  cacheWrite1h?: number;
}

/** A model's price with its provenance, so every cost we show can say where its numbers came from. */
export interface Price extends TokenRates {
  /** Batch API rates; cache rates scale by the same factor as `input`. */
  batch?: { input: number; output: number };
  /** A pricier tier that applies to every token of a request whose prompt exceeds the threshold. */
  longContext?: { aboveInputTokens: number } & TokenRates;
  /** ISO date the price was checked. */
  checked: string;
  /** Where it was checked. */
  source: string;
}

/** A model Hive can address by name, its cost lane and (when known) its price. */
export interface ModelInfo {
  vendor: Vendor;
  /** Canonical id: the vendor's API id without a date. */
  id: string;
  label: string;
  lane: LaneName;
  /** Other ids the vendor accepts or reports for the same model and price (dated snapshots, aliases). */
  aliases: readonly string[];
  /** Absent: "cost unknown", never a guess. */
  price?: Price;
  note?: string;
}

const CHECKED = '2026-11-24';
const ANTHROPIC = 'platform.claude.com/docs/en/about-claude/pricing (model, batch tables)';
const ANTHROPIC_LONG = `${ANTHROPIC}; long-context table (>200k input: $6/$22.50, cache multipliers stack)`;
const ANTHROPIC_CURRENT =
  'Anthropic pricing as quoted by 2026 model guides (Sonnet 4.6 released 2026-02-17, Opus 4.7 2026-04-16); same rates as Sonnet 4.5 / Opus 4.5';
const OPENAI = 'developers.openai.com/api/docs/pricing + model pages (no cache-write fee; batch 50%)';
const GOOGLE = 'ai.google.dev/gemini-api/docs/pricing (text/image/video rates; batch 50%; cache 0.1x input)';

// Anthropic: cache read 0.1x input, 5m write 1.25x, 1h write 2x; batch halves input and output.
// A price table reads best one model per line, so the formatter leaves these lists alone.
// prettier-ignore
const ANTHROPIC_MODELS: readonly ModelInfo[] = [
  {
    vendor: 'anthropic', id: 'claude-3-5-haiku', label: 'Claude Haiku 3.5', lane: 'cheap',
    aliases: ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'],
    price: {
      input: 0.8, output: 4, cacheRead: 0.08, cacheWrite5m: 1, cacheWrite1h: 1.6,
      batch: { input: 0.4, output: 2 }, checked: CHECKED, source: ANTHROPIC,
    },
    note: 'retired on the Claude API; still served by Google Cloud Vertex AI',
  },
  {
    vendor: 'anthropic', id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', lane: 'cheap',
    aliases: ['claude-haiku-4-5-20251001'],
    price: {
      input: 1, output: 5, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2,
      batch: { input: 0.5, output: 2.5 }, checked: CHECKED, source: ANTHROPIC,
    },
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-4', label: 'Claude Sonnet 4', lane: 'balanced',
    aliases: ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
    price: {
      input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6,
      batch: { input: 1.5, output: 7.5 },
      longContext: { aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 },
      checked: CHECKED, source: ANTHROPIC_LONG,
    },
    note: 'retired on the Claude API 2026-06-15; still served by Amazon Bedrock / Google Cloud',
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', lane: 'balanced',
    aliases: ['claude-sonnet-4-5-20250929'],
    price: {
      input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6,
      batch: { input: 1.5, output: 7.5 },
      longContext: { aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 },
      checked: CHECKED, source: ANTHROPIC_LONG,
    },
    note: 'deprecated by Anthropic; retires from the Claude API 2026-11-30',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4', label: 'Claude Opus 4', lane: 'deep',
    aliases: ['claude-opus-4-20250514', 'claude-opus-4-0'],
    price: {
      input: 15, output: 75, cacheRead: 1.5, cacheWrite5m: 18.75, cacheWrite1h: 30,
      batch: { input: 7.5, output: 37.5 }, checked: CHECKED, source: ANTHROPIC,
    },
    note: 'retired on the Claude API 2026-06-15; still served by Google Cloud',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-1', label: 'Claude Opus 4.1', lane: 'deep',
    aliases: ['claude-opus-4-1-20250805'],
    price: {
      input: 15, output: 75, cacheRead: 1.5, cacheWrite5m: 18.75, cacheWrite1h: 30,
      batch: { input: 7.5, output: 37.5 }, checked: CHECKED, source: ANTHROPIC,
    },
    note: 'retired on the Claude API; still served by Amazon Bedrock and Google Cloud',
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-5', label: 'Claude Opus 4.5', lane: 'deep',
    aliases: ['claude-opus-4-5-20251101'],
    price: {
      input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10,
      batch: { input: 2.5, output: 12.5 }, checked: CHECKED, source: ANTHROPIC,
    },
    note: 'deprecated by Anthropic; retires from the Claude API 2027-01-22',
  },
  {
    vendor: 'anthropic', id: 'claude-sonnet-4-6', label: 'Claude Sonnet 4.6', lane: 'balanced',
    aliases: [],
    price: {
      input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6,
      batch: { input: 1.5, output: 7.5 },
      longContext: { aboveInputTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 },
      checked: CHECKED, source: ANTHROPIC_CURRENT,
    },
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-6', label: 'Claude Opus 4.6', lane: 'deep',
    aliases: [],
    price: {
      input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10,
      batch: { input: 2.5, output: 12.5 }, checked: CHECKED, source: ANTHROPIC_CURRENT,
    },
  },
  {
    vendor: 'anthropic', id: 'claude-opus-4-7', label: 'Claude Opus 4.7', lane: 'deep',
    aliases: [],
    price: {
      input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10,
      batch: { input: 2.5, output: 12.5 }, checked: CHECKED, source: ANTHROPIC_CURRENT,
    },
    note: 'uses a new tokenizer: the same text may count up to ~1.35× the tokens of older Claude models',
  },
];

// OpenAI: prompt caching is automatic with no write fee; only cached reads are discounted.
// `chatgpt-4o-latest` is a different, pricier model and is deliberately not an alias of gpt-4o.
// prettier-ignore
const OPENAI_MODELS: readonly ModelInfo[] = [
  {
    vendor: 'openai', id: 'gpt-4o-mini', label: 'GPT-4o mini', lane: 'cheap',
    aliases: ['gpt-4o-mini-2024-07-18'],
    price: { input: 0.15, output: 0.6, cacheRead: 0.075, batch: { input: 0.075, output: 0.3 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-4o', label: 'GPT-4o', lane: 'balanced',
    aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'],
    price: { input: 2.5, output: 10, cacheRead: 1.25, batch: { input: 1.25, output: 5 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-4o-2024-05-13', label: 'GPT-4o (2024-05-13)', lane: 'balanced',
    aliases: [],
    price: {
      input: 5, output: 15, batch: { input: 2.5, output: 7.5 }, checked: CHECKED,
      source: `${OPENAI}; openrouter.ai/openai/gpt-4o-2024-05-13`,
    },
    note: 'first GPT-4o snapshot, priced above gpt-4o and without a cached-input discount',
  },
  {
    vendor: 'openai', id: 'gpt-4.1', label: 'GPT-4.1', lane: 'balanced',
    aliases: ['gpt-4.1-2025-04-14'],
    price: { input: 2, output: 8, cacheRead: 0.5, batch: { input: 1, output: 4 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-4.1-mini', label: 'GPT-4.1 mini', lane: 'cheap',
    aliases: ['gpt-4.1-mini-2025-04-14'],
    price: { input: 0.4, output: 1.6, cacheRead: 0.1, batch: { input: 0.2, output: 0.8 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-4.1-nano', label: 'GPT-4.1 nano', lane: 'cheap',
    aliases: ['gpt-4.1-nano-2025-04-14'],
    price: { input: 0.1, output: 0.4, cacheRead: 0.025, batch: { input: 0.05, output: 0.2 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-5', label: 'GPT-5', lane: 'deep',
    aliases: ['gpt-5-2025-08-07'],
    price: { input: 1.25, output: 10, cacheRead: 0.125, batch: { input: 0.625, output: 5 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-5-mini', label: 'GPT-5 mini', lane: 'balanced',
    aliases: ['gpt-5-mini-2025-08-07'],
    price: { input: 0.25, output: 2, cacheRead: 0.025, batch: { input: 0.125, output: 1 }, checked: CHECKED, source: OPENAI },
  },
  {
    vendor: 'openai', id: 'gpt-5-nano', label: 'GPT-5 nano', lane: 'cheap',
    aliases: ['gpt-5-nano-2025-08-07'],
    price: { input: 0.05, output: 0.4, cacheRead: 0.005, batch: { input: 0.025, output: 0.2 }, checked: CHECKED, source: OPENAI },
    note: 'marked deprecated on developers.openai.com (2026)',
  },
];

// Google: thinking tokens bill as output; cache storage (per hour) and audio input rates are not modelled.
// The moving aliases (`gemini-flash-latest`, `gemini-pro-latest`) now point past 2.5 and are deliberately absent.
// prettier-ignore
const GOOGLE_MODELS: readonly ModelInfo[] = [
  {
    vendor: 'google', id: 'gemini-2.5-flash-lite', label: 'Gemini 2.5 Flash-Lite', lane: 'cheap',
    aliases: [],
    price: { input: 0.1, output: 0.4, cacheRead: 0.01, batch: { input: 0.05, output: 0.2 }, checked: CHECKED, source: GOOGLE },
  },
  {
    vendor: 'google', id: 'gemini-2.5-flash', label: 'Gemini 2.5 Flash', lane: 'cheap',
    aliases: [],
    price: { input: 0.3, output: 2.5, cacheRead: 0.03, batch: { input: 0.15, output: 1.25 }, checked: CHECKED, source: GOOGLE },
  },
  {
    vendor: 'google', id: 'gemini-2.5-pro', label: 'Gemini 2.5 Pro', lane: 'balanced',
    aliases: [],
    price: {
      input: 1.25, output: 10, cacheRead: 0.125, batch: { input: 0.625, output: 5 },
      longContext: { aboveInputTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25 },
      checked: CHECKED, source: `${GOOGLE}; >200k-token prompts $2.50/$15, cache $0.25`,
    },
  },
];

/** Every model Hive knows, priced where the price is known; the single source for cost and menus. */
export const MODELS: readonly ModelInfo[] = [...ANTHROPIC_MODELS, ...OPENAI_MODELS, ...GOOGLE_MODELS];

/** The latest `checked` date in the table, stored with evidence so a cost can be traced to its prices. */
export const PRICE_TABLE_VERSION: string = MODELS.reduce((latest, m) => (m.price && m.price.checked > latest ? m.price.checked : latest), '');
