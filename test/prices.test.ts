import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.ts';
import { ConfigError } from '../src/shared/errors.ts';
import { startHarness } from './helpers/hive-harness.ts';
import { computeCost } from '../src/money/cost.ts';
import { isRetired } from '../src/models/model-availability.ts';
import { MODELS, PRICE_TABLE_VERSION, type ModelInfo, type Price, type TokenRates } from '../src/models/prices.ts';
import { priceAt } from '../src/models/price-catalogue.ts';
import { PRICE_FILE_LIMIT_BYTES } from '../src/models/price-file.ts';
import type { Usage, Vendor } from '../src/shared/provider-spec.ts';
import { seededRandom } from './helpers/seeded-random.ts';
import { builtInPrices } from './helpers/built-in-prices.ts';

/** The seed's table (USD per 1M input / output): the minimum the price table must reproduce exactly. */
const SEED: [Vendor, string, number, number][] = [
  ['anthropic', 'claude-3-5-haiku-20241022', 0.8, 4],
  ['anthropic', 'claude-sonnet-4-20250514', 3, 15],
  ['anthropic', 'claude-opus-4-1-20250805', 15, 75],
  ['openai', 'gpt-4o-mini', 0.15, 0.6],
  ['openai', 'gpt-4o', 2.5, 10],
  ['google', 'gemini-2.5-flash', 0.3, 2.5],
  ['google', 'gemini-2.5-pro', 1.25, 10],
];

/** The day the table was last checked: every priced row has a rate in force then. */
const CHECKED = new Date('2026-12-07T12:00:00Z');
/** Rows kept for a retired model's name only (Gemini 2.0 shut down before Hive priced it). */
const PRICED = MODELS.filter((m) => m.prices.length > 0);

function priceOf(m: ModelInfo, at: Date = CHECKED): Price {
  const p = priceAt(m, at);
  if (!p) throw new Error(`${m.vendor}:${m.id} has no price at ${at.toISOString()}`);
  return p;
}

/** Every validity period of every row. */
const PERIODS: [ModelInfo, Price][] = PRICED.flatMap((m) => m.prices.map((p): [ModelInfo, Price] => [m, p]));

describe('price table', () => {
  it.each(SEED)('%s:%s is priced exactly as the seed ($%s / $%s)', (vendor, id, input, output) => {
    const price = priceOf(builtInPrices.find(vendor, id) ?? fail(id));
    expect(price.input).toBe(input);
    expect(price.output).toBe(output);
  });

  it('every entry is priced (but the retired Gemini 2.0 names), dated and sourced', () => {
    expect(MODELS.filter((m) => m.prices.length === 0).map((m) => m.id)).toEqual(['gemini-2.0-flash', 'gemini-2.0-flash-lite']);
    for (const [m, p] of PERIODS) {
      expect(p.checked, m.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(p.checked)), m.id).toBe(false);
      expect(p.checked <= '2026-12-07', m.id).toBe(true);
      expect(p.source.length, m.id).toBeGreaterThan(0);
    }
    for (const m of PRICED) priceOf(m);
    expect(PRICE_TABLE_VERSION).toBe('2026-12-07');
  });

  it('every entry has batch and cache-read rates (gpt-4o-2024-05-13 has no cached discount)', () => {
    for (const [m, p] of PERIODS) {
      expect(p.batch, m.id).toBeDefined();
      if (m.id !== 'gpt-4o-2024-05-13') expect(p.cacheRead, m.id).toBeDefined();
      if (m.vendor === 'anthropic') {
        expect(p.cacheWrite5m, m.id).toBeDefined();
        expect(p.cacheWrite1h, m.id).toBeDefined();
      }
    }
  });

  it('rates are ordered so discounts never cost more and premiums never cost less', () => {
    for (const [m, p] of PERIODS) {
      checkRates(m.id, p);
      if (p.batch) {
        expect(p.batch.input, m.id).toBeLessThanOrEqual(p.input);
        expect(p.batch.output, m.id).toBeLessThanOrEqual(p.output);
      }
      if (p.longContext) {
        checkRates(`${m.id} long`, p.longContext);
        for (const k of ['input', 'output', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h'] as const) {
          expect(p.longContext[k] ?? 0, `${m.id} long ${k}`).toBeGreaterThanOrEqual(p[k] ?? 0);
        }
      }
    }
  });

  it('has Gemini 2.5 Pro\u2019s >200k tier', () => {
    const pro = priceOf(builtInPrices.find('google', 'gemini-2.5-pro') ?? fail('pro'));
    expect(pro.longContext).toEqual({ aboveInputTokens: 200_000, input: 2.5, output: 15, cacheRead: 0.25 });
  });
});

function checkRates(label: string, r: TokenRates): void {
  expect(r.input, label).toBeGreaterThan(0);
  expect(r.output, label).toBeGreaterThanOrEqual(r.input);
  if (r.cacheRead !== undefined) expect(r.cacheRead, label).toBeLessThan(r.input);
  if (r.cacheWrite5m !== undefined) expect(r.cacheWrite5m, label).toBeGreaterThanOrEqual(r.input);
  if (r.cacheWrite1h !== undefined) expect(r.cacheWrite1h, label).toBeGreaterThanOrEqual(r.cacheWrite5m ?? r.input);
}

function fail(what: string): never {
  throw new Error(`not found: ${what}`);
}

describe('findModel', () => {
  it('resolves every canonical id and alias to its own entry, and nothing across vendors', () => {
    for (const m of MODELS) {
      for (const name of [m.id, ...m.aliases]) {
        expect(builtInPrices.find(m.vendor, name), name).toBe(m);
        for (const other of ['anthropic', 'openai', 'google'] as const) {
          if (other !== m.vendor) expect(builtInPrices.find(other, name), `${other}:${name}`).toBeUndefined();
        }
      }
    }
  });

  it('ignores case and surrounding space, strips snapshot dates and Gemini\u2019s models/ prefix', () => {
    expect(builtInPrices.find('anthropic', 'Claude-Sonnet-4-5')?.id).toBe('claude-sonnet-4-5');
    expect(builtInPrices.find('openai', ' GPT-4o-Mini ')?.id).toBe('gpt-4o-mini');
    expect(builtInPrices.find('anthropic', 'claude-haiku-4-5-20991231')?.id).toBe('claude-haiku-4-5');
    expect(builtInPrices.find('openai', 'gpt-4.1-mini-2099-01-01')?.id).toBe('gpt-4.1-mini');
    expect(builtInPrices.find('google', 'models/gemini-2.5-flash-lite')?.id).toBe('gemini-2.5-flash-lite');
  });

  it('keeps gpt-4o-2024-05-13 apart from gpt-4o', () => {
    expect(builtInPrices.find('openai', 'gpt-4o-2024-05-13')?.id).toBe('gpt-4o-2024-05-13');
    expect(builtInPrices.find('openai', 'GPT-4O-2024-05-13')?.id).toBe('gpt-4o-2024-05-13');
    expect(builtInPrices.find('openai', 'gpt-4o-2024-08-06')?.id).toBe('gpt-4o');
  });

  it('never guesses beyond that', () => {
    for (const [vendor, name] of [
      ['openai', 'gpt-4o-mini-foo'],
      ['openai', 'gpt-4'],
      ['openai', 'chatgpt-4o-latest'],
      ['openai', 'gpt-5.1'],
      ['anthropic', 'claude-sonnet-4-9'],
      ['anthropic', 'claude-opus'],
      ['anthropic', 'sonnet'],
      ['google', 'gemini-2.5'],
      ['google', 'gemini-flash-latest'],
      ['google', 'models/'],
      ['openai', ''],
      ['openai', 'models/gpt-4o'],
      ['anthropic', 'claude-sonnet-4-2025'],
    ] as const) {
      expect(builtInPrices.find(vendor, name), `${vendor}:${name}`).toBeUndefined();
      expect(builtInPrices.find(vendor, name)?.prices).toBeUndefined();
    }
  });

  it('lists models per vendor in table order', () => {
    expect(builtInPrices.list().length).toBe(MODELS.length);
    expect(builtInPrices.list('google').map((m) => m.id)).toEqual([
      'gemini-3.8-flash',
      'gemini-3.5-flash',
      'gemini-3.5-flash-lite',
      'gemini-3.1-flash-lite',
      'gemini-3.1-pro-preview',
      'gemini-2.0-flash',
      'gemini-2.0-flash-lite',
      'gemini-2.5-flash-lite',
      'gemini-2.5-flash',
      'gemini-2.5-pro',
    ]);
  });
});

// ---- property tests over random usages (seeded, so failures reproduce) ----

const rng = seededRandom;

interface Parts {
  uncached: number;
  read: number;
  write5m: number;
  write1h: number;
  text: number;
  reasoning: number;
}

function toUsage(p: Parts): Usage {
  const cacheWrite = p.write5m + p.write1h;
  return {
    inputTokens: p.uncached + p.read + cacheWrite,
    cacheReadTokens: p.read,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: p.write1h,
    outputTokens: p.text + p.reasoning,
    reasoningTokens: p.reasoning,
  };
}

function randomParts(next: () => number): Parts {
  const n = (max: number): number => (next() < 0.2 ? 0 : Math.floor(next() * max));
  return { uncached: n(250_000), read: n(150_000), write5m: n(50_000), write1h: n(20_000), text: n(20_000), reasoning: n(20_000) };
}

function usd(m: ModelInfo, u: Usage, batch = false): number {
  const c = computeCost(builtInPrices, m.vendor, m.id, u, { batch, at: new Date() });
  if (!c) throw new Error(`no cost for ${m.id}`);
  return c.usd;
}

describe('cost properties (seeded random usages)', () => {
  const ROUNDS = 150;
  const KEYS = ['uncached', 'read', 'write5m', 'write1h', 'text', 'reasoning'] as const;

  it('is finite, non-negative and monotonic in every token count, standard and batch', () => {
    const next = rng(0x5eed);
    for (const m of PRICED) {
      for (let i = 0; i < ROUNDS; i++) {
        const parts = randomParts(next);
        for (const batch of [false, true]) {
          const base = usd(m, toUsage(parts), batch);
          expect(Number.isFinite(base) && base >= 0, m.id).toBe(true);
          for (const key of KEYS) {
            const more = { ...parts, [key]: parts[key] + 1 + Math.floor(next() * 60_000) };
            expect(usd(m, toUsage(more), batch), `${m.id} +${key} batch=${batch}`).toBeGreaterThanOrEqual(base);
          }
        }
      }
    }
  });

  it('cached reads never cost more than the same tokens uncached', () => {
    const next = rng(42);
    for (const m of PRICED) {
      for (let i = 0; i < ROUNDS; i++) {
        const parts = randomParts(next);
        const uncached = { ...parts, uncached: parts.uncached + parts.read, read: 0 };
        for (const batch of [false, true]) {
          expect(usd(m, toUsage(parts), batch), m.id).toBeLessThanOrEqual(usd(m, toUsage(uncached), batch));
        }
      }
    }
  });

  it('batch never costs more than standard, and reasoning is never billed on top of output', () => {
    const next = rng(7);
    for (const m of PRICED) {
      for (let i = 0; i < ROUNDS; i++) {
        const parts = randomParts(next);
        expect(usd(m, toUsage(parts), true), m.id).toBeLessThanOrEqual(usd(m, toUsage(parts)));
        const sameOutputNoReasoning = { ...parts, text: parts.text + parts.reasoning, reasoning: 0 };
        expect(usd(m, toUsage(sameOutputNoReasoning)), m.id).toBe(usd(m, toUsage(parts)));
      }
    }
  });
});

// ---- operator prices (HIVE_PRICES_FILE) ----

describe('HIVE_PRICES_FILE', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-prices-'));
  const file = (name: string, json: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof json === 'string' ? json : JSON.stringify(json));
    return f;
  };
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig({ HIVE_STORE_URL: 'memory://', ...env });
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  };
  const NEW = {
    vendor: 'openai',
    id: 'gpt-6.3-test',
    lane: 'balanced',
    prices: [{ input: 3, output: 12, cacheRead: 0.3, checked: '2026-12-01', source: 'https://example.test/pricing' }],
  };

  it('stops start-up on a bad entry, naming the entry and the field, with every other problem at once', () => {
    const bad = file('bad.json', {
      models: [
        NEW,
        { vendor: 'openai', id: 'gpt-6-luna', prices: [{ input: -1, output: 0.5, checked: '2026-12-01', source: 'x' }] },
        { vendor: 'google', id: 'gemini-x', prices: [] },
      ],
    });
    const problems = problemsOf({ HIVE_PRICES_FILE: bad, PORT: 'eighty' });
    expect(problems).toContain('HIVE_PRICES_FILE: models[1] (openai:gpt-6-luna): prices[0].input: must not be negative');
    expect(problems.some((p) => p.startsWith('HIVE_PRICES_FILE: models[2] (google:gemini-x): lane:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
  });

  it('refuses rates that are not whole nano-dollars per token, overlapping periods, unreadable files and bad JSON', () => {
    const price = { input: 1, output: 5, checked: '2026-12-01', source: 's' };
    const odd = file('odd.json', { models: [{ ...NEW, prices: [{ ...price, input: 0.0001 }] }] });
    expect(problemsOf({ HIVE_PRICES_FILE: odd })).toEqual([
      'HIVE_PRICES_FILE: models[0] (openai:gpt-6.3-test): prices[0].input: must be a multiple of $0.001 per 1M tokens (whole nano-dollars per token)',
    ]);
    const overlap = file('overlap.json', {
      models: [
        {
          ...NEW,
          prices: [
            { ...price, until: '2027-02-01' },
            { ...price, from: '2027-01-01' },
          ],
        },
      ],
    });
    expect(problemsOf({ HIVE_PRICES_FILE: overlap })[0]).toMatch(/models\[0\] \(openai:gpt-6\.3-test\): prices\[1\]\.from: overlaps prices\[0\]/);
    expect(problemsOf({ HIVE_PRICES_FILE: path.join(dir, 'missing.json') })[0]).toMatch(/^HIVE_PRICES_FILE: cannot read .*missing\.json \(ENOENT\)$/);
    expect(problemsOf({ HIVE_PRICES_FILE: file('broken.json', '{"models": [') })[0]).toMatch(/^HIVE_PRICES_FILE: .*broken\.json is not valid JSON/);
  });

  it('GIVEN a device, a directory, a FIFO or a file over 1 MiB THEN start-up stops at once naming the variable and the limit', () => {
    const notRegular = /^HIVE_PRICES_FILE: .* is not a regular file; point it at a JSON price file of at most 1 MiB$/;
    // /dev/zero never ends: read whole, it aborted the process with bad_alloc after 47 s.
    if (fs.existsSync('/dev/zero')) expect(problemsOf({ HIVE_PRICES_FILE: '/dev/zero' })).toEqual([expect.stringMatching(notRegular)]);
    expect(problemsOf({ HIVE_PRICES_FILE: dir })).toEqual([expect.stringMatching(notRegular)]);
    const fifo = path.join(dir, 'prices.fifo');
    // Opening a FIFO waits for a writer: it is refused before it is opened.
    if (spawnSync('mkfifo', [fifo]).status === 0) expect(problemsOf({ HIVE_PRICES_FILE: fifo })).toEqual([expect.stringMatching(notRegular)]);
    const padded = (bytes: number) => `{"models": []}${' '.repeat(bytes - 14)}`;
    expect(problemsOf({ HIVE_PRICES_FILE: file('huge.json', padded(PRICE_FILE_LIMIT_BYTES + 1)) })).toEqual([
      expect.stringMatching(/^HIVE_PRICES_FILE: .*huge\.json is larger than 1 MiB, the limit for a price file/),
    ]);
    expect(problemsOf({ HIVE_PRICES_FILE: file('full.json', padded(PRICE_FILE_LIMIT_BYTES)) })).toEqual([]);
  });

  it('adds a model that --model can use, billed at the file\u2019s rate, and corrects a built-in one', async () => {
    const good = file('good.json', { models: [NEW, { vendor: 'openai', id: 'gpt-6-luna', note: 'corrected by the operator' }] });
    const config = loadConfig({ HIVE_STORE_URL: 'memory://', HIVE_PRICES_FILE: good });
    expect(config.priceTable?.find((m) => m.id === 'gpt-6-luna')?.note).toBe('corrected by the operator');
    const h = await startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 1_000, output: 500 } }) }, env: { HIVE_PRICES_FILE: good } });
    try {
      const r = await h.run('/ask --model openai:gpt-6.3-test hello');
      expect(r.footer).toMatch(/^gpt-6\.3-test · balanced \(--model\) · 1,000→500 tok · \$0\.0090 · /);
      const record = await h.hive.evidence.get(/evidence (\w{26})/.exec(r.footer!)![1]!, 'local');
      expect(record!.calls[0]!.costUsd).toBe((1_000 * 3_000 + 500 * 12_000) / 1e9);
      // The evidence names the merged table, not the built-in one whose prices it did not use.
      expect(record!.priceTableVersion).toMatch(/^2026-12-07\+table:[0-9a-f]{12}$/);
      const menu = await h.run('/hive models');
      expect(menu.text).toMatch(/`openai:gpt-6\.3-test` .* \$3\.00\/\$12\.00, cached in \$0\.30 \(checked 2026-12-01 \[(\d+)\]\)/);
    } finally {
      await h.close();
    }
    const plain = await startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 1_000, output: 500 } }) } });
    try {
      const r = await plain.run('/ask --model openai:gpt-6-luna hello');
      expect((await plain.hive.evidence.get(/evidence (\w{26})/.exec(r.footer!)![1]!, 'local'))!.priceTableVersion).toBe(PRICE_TABLE_VERSION);
    } finally {
      await plain.close();
    }
  });
});

describe('/hive models', () => {
  it('shows each price with its date and numbered source, the lanes\u2019 current models, and the retired ones apart', async () => {
    const h = await startHarness({ vendors: { anthropic: () => ({ text: 'ok' }) } });
    try {
      const { text } = await h.run('/hive models');
      expect(text).toMatch(
        /• ✓ `anthropic:claude-haiku-5-5` \(Anthropic\) · \$0\.10\/\$0\.50, cached in \$0\.010; over 100,000 prompt tokens \$0\.50\/\$2\.50 \(checked 2026-12-07 \[1\]\)/,
      );
      expect(text).toContain('[1] https://platform.claude.com/docs/en/models/haiku-5-5/overview');
      expect(text).toMatch(/`google:gemini-3\.8-flash` .* \$0\.75\/\$3\.75.* · from 2027-01-01: \$1\.50\/\$7\.50/);
      expect(text).toMatch(/\*retired\* \(priced for past calls, refused with the successor named\): .*`google:gemini-2\.0-flash` → `gemini-2\.5-flash`/);
      // No retired model is offered as usable: each is only in the retired line.
      const usable = text.split('\n').filter((l) => l.startsWith('• '));
      const retiredNow = MODELS.filter((m) => isRetired(builtInPrices, { vendor: m.vendor, model: m.id }, new Date()));
      expect(retiredNow.map((m) => m.id)).toEqual(expect.arrayContaining(['gemini-2.5-pro', 'gemini-2.5-flash', 'gpt-4.1-nano', 'gpt-4o-2024-05-13']));
      for (const m of retiredNow) expect(usable.join('\n'), m.id).not.toContain(`\`${m.vendor}:${m.id}\``);
      expect(text.length).toBeLessThan(7_000); // room under the 8,000 an admin reply may take, for custom lanes
    } finally {
      await h.close();
    }
  });
});
