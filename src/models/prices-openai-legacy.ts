import type { ModelEntryInput } from './price-schema.ts';

const OLD = '2026-11-24';
const PRICING = 'https://developers.openai.com/api/docs/pricing';
/**
 * Shutdowns announced 2026-06-11 on developers.openai.com/api/docs/deprecations: GPT-5, 5 mini and
 * 5 nano (and their snapshots) leave the API on 2026-12-11; replacements gpt-6.1-sol, gpt-6.1-terra, gpt-6-luna.
 */
const GPT_5_SHUTDOWN = '2026-12-11';
/** The GPT-4o and GPT-4.1 families leave the API on 2027-01-14, GPT-6 Luna named as the replacement. */
const SHUTDOWN = { on: '2027-01-14', successor: 'gpt-6-luna' };
// The date as cited from the deprecations page by netbirdio/netbird discussion #8664 (a secondary source).
const SHUTDOWN_NOTE = 'shuts down 2027-01-14';
/** Legacy snapshots announced on the deprecations page 2026-04-22 and shut down 2026-10-23. */
const OCTOBER_SHUTDOWN = '2026-10-23';

/**
 * Priority processing ("Fast mode" since 2026-07-30) on the older models, as openai.com/api-fast-mode
 * prices it: every rate of a model times one factor (GPT-4o mini's $0.25/$0.125/$1.00 is 5/3 of
 * $0.15/$0.075/$0.60). Long prompts are not served at priority on these models.
 */
const priority = (factor: number) => ({ flex: 'batch' as const, priority: factor, fast: factor });

// prettier-ignore
export const OPENAI_LEGACY_MODELS: readonly ModelEntryInput[] = [
  {
    vendor: 'openai', id: 'gpt-4o-mini', label: 'GPT-4o mini', lane: 'cheap', aliases: ['gpt-4o-mini-2024-07-18'], serviceTiers: priority(5 / 3),
    prices: [{ input: 0.15, output: 0.6, cacheRead: 0.075, batch: { input: 0.075, output: 0.3 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4o', label: 'GPT-4o', lane: 'balanced', aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'], serviceTiers: priority(1.7),
    prices: [{ input: 2.5, output: 10, cacheRead: 1.25, batch: { input: 1.25, output: 5 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4o-2024-05-13', label: 'GPT-4o (2024-05-13)', lane: 'balanced', serviceTiers: priority(1.75),
    prices: [{ input: 5, output: 15, batch: { input: 2.5, output: 7.5 }, checked: OLD, source: `${PRICING}; openrouter.ai/openai/gpt-4o-2024-05-13` }],
    retired: { on: OCTOBER_SHUTDOWN, successor: 'gpt-5.6-sol' },
    // Successor as the deprecations page named it in October, per dev.to/importstatic (a secondary copy).
    note: 'first GPT-4o snapshot: pricier, no cached discount; shut down 2026-10-23',
  },
  {
    vendor: 'openai', id: 'gpt-4.1', label: 'GPT-4.1', lane: 'balanced', aliases: ['gpt-4.1-2025-04-14'], serviceTiers: priority(1.75),
    prices: [{ input: 2, output: 8, cacheRead: 0.5, batch: { input: 1, output: 4 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4.1-mini', label: 'GPT-4.1 mini', lane: 'cheap', aliases: ['gpt-4.1-mini-2025-04-14'], serviceTiers: priority(1.75),
    prices: [{ input: 0.4, output: 1.6, cacheRead: 0.1, batch: { input: 0.2, output: 0.8 }, checked: OLD, source: PRICING }],
    retired: SHUTDOWN, note: SHUTDOWN_NOTE,
  },
  {
    vendor: 'openai', id: 'gpt-4.1-nano', label: 'GPT-4.1 nano', lane: 'cheap', aliases: ['gpt-4.1-nano-2025-04-14'], serviceTiers: priority(2),
    prices: [{ input: 0.1, output: 0.4, cacheRead: 0.025, batch: { input: 0.05, output: 0.2 }, checked: OLD, source: PRICING }],
    retired: { on: OCTOBER_SHUTDOWN, successor: 'gpt-5.6-luna' },
    // Successor per docs.retellai.com's 2026-10-20 notice (a secondary source).
    note: 'shut down 2026-10-23',
  },
  {
    vendor: 'openai', id: 'gpt-5', label: 'GPT-5', lane: 'deep', aliases: ['gpt-5-2025-08-07'], serviceTiers: priority(2),
    prices: [{ input: 1.25, output: 10, cacheRead: 0.125, batch: { input: 0.625, output: 5 }, checked: OLD, source: PRICING }],
    retired: { on: GPT_5_SHUTDOWN, successor: 'gpt-6.1-sol' },
    note: 'shuts down 2026-12-11',
  },
  {
    vendor: 'openai', id: 'gpt-5-mini', label: 'GPT-5 mini', lane: 'balanced', aliases: ['gpt-5-mini-2025-08-07'], serviceTiers: priority(1.8),
    prices: [{ input: 0.25, output: 2, cacheRead: 0.025, batch: { input: 0.125, output: 1 }, checked: OLD, source: PRICING }],
    retired: { on: GPT_5_SHUTDOWN, successor: 'gpt-6.1-terra' },
    note: 'shuts down 2026-12-11',
  },
  {
    // Not on the Fast mode price list: a priority call is "cost unknown".
    vendor: 'openai', id: 'gpt-5-nano', label: 'GPT-5 nano', lane: 'cheap', aliases: ['gpt-5-nano-2025-08-07'], serviceTiers: { flex: 'batch' },
    prices: [{ input: 0.05, output: 0.4, cacheRead: 0.005, batch: { input: 0.025, output: 0.2 }, checked: OLD, source: PRICING }],
    retired: { on: GPT_5_SHUTDOWN, successor: 'gpt-6-luna' },
    // The stored copy of the page cuts the successor's name short ("gpt-6…"): samarthputhraya/Modelpin v0.5.4 names gpt-6-luna.
    note: 'shuts down 2026-12-11',
  },
];
