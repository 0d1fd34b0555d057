import { describe, expect, it } from 'vitest';
import { MODELS, type ModelInfo } from '../../src/models/prices.ts';

/**
 * A model's family: its vendor and its id without version numbers, snapshot dates or `preview`, so
 * generations of one line share it (claude-opus-4-8 and claude-opus-5-5 → anthropic:claude-opus,
 * gpt-5.6-luna and gpt-6-luna → openai:gpt-luna, gemini-3.1-flash-lite → google:gemini-flash-lite,
 * gpt-4o-mini → openai:gpt-mini) while tiers stay apart (Flash vs Flash-Lite, Sol vs Terra).
 */
function family(m: Pick<ModelInfo, 'vendor' | 'id'>): string {
  const words = m.id.split(/[-.]/).filter((w) => !/^\d+[a-z]?$/.test(w) && w !== 'preview' && w !== 'latest');
  return `${m.vendor}:${words.join('-')}`;
}

/** The newest date any of a row's price periods was checked. */
const lastChecked = (m: ModelInfo) => m.prices.reduce((d, p) => (p.checked > d ? p.checked : d), '');

/** Whether the vendor had retired the model by `day`: a retired model's price is kept for past calls and needs no new check. */
const retiredBy = (m: ModelInfo, day: string) => m.retired !== undefined && (m.retired.on === undefined || m.retired.on <= day);

/**
 * Rows checked before their family's newest row, while still served on that day: when a vendor's
 * new model is priced, every sibling it sells beside it must be re-checked the same day, so a
 * price change or a new model next to a priced one is never silently missed.
 */
function staleSiblings(models: readonly ModelInfo[]): string[] {
  const priced = models.filter((m) => m.prices.length > 0);
  const problems: string[] = [];
  for (const m of priced) {
    const siblings = priced.filter((s) => family(s) === family(m));
    const newest = siblings.reduce((a, b) => (lastChecked(b) > lastChecked(a) ? b : a));
    if (lastChecked(m) < lastChecked(newest) && !retiredBy(m, lastChecked(newest))) {
      problems.push(`${m.vendor}:${m.id} checked ${lastChecked(m)}, but its sibling ${newest.vendor}:${newest.id} was checked ${lastChecked(newest)}`);
    }
  }
  return problems;
}

describe('the built-in price table is checked family by family', () => {
  it('GIVEN a family of priced models THEN no served row was checked before its newest sibling', () => {
    expect(staleSiblings(MODELS), 're-check these rows against their sources (and set `checked`)').toEqual([]);
  });

  it('groups generations of one line and keeps tiers apart', () => {
    const f = (vendor: ModelInfo['vendor'], id: string) => family({ vendor, id });
    expect(f('anthropic', 'claude-opus-4-8')).toBe(f('anthropic', 'claude-opus-5-5'));
    expect(f('anthropic', 'claude-3-5-haiku')).toBe(f('anthropic', 'claude-haiku-5-5'));
    expect(f('openai', 'gpt-5.6-luna')).toBe(f('openai', 'gpt-6-luna'));
    expect(f('openai', 'gpt-4o-mini')).toBe(f('openai', 'gpt-5-mini'));
    expect(f('google', 'gemini-3.1-pro-preview')).toBe(f('google', 'gemini-2.5-pro'));
    expect(f('google', 'gemini-3.5-flash')).not.toBe(f('google', 'gemini-3.5-flash-lite'));
    expect(f('openai', 'gpt-6.1-sol')).not.toBe(f('openai', 'gpt-6.1-terra'));
    expect(f('openai', 'gpt-6-luna')).not.toBe(f('google', 'gpt-6-luna'));
  });

  it('names each stale row and the sibling that makes it stale; a model retired by then is exempt', () => {
    const row = (id: string, checked: string, retired?: ModelInfo['retired']): ModelInfo => ({
      vendor: 'openai',
      id,
      label: id,
      lane: 'balanced',
      aliases: [],
      prices: [{ input: 1, output: 2, checked, source: 's' }],
      ...(retired ? { retired } : {}),
    });
    const table = [
      row('gpt-7-sol', '2027-02-01'),
      row('gpt-6.9-sol', '2027-01-01'),
      row('gpt-6.8-sol', '2026-12-01', { on: '2027-01-15', successor: 'gpt-7-sol' }),
      row('gpt-6.7-sol', '2026-12-01', { on: '2027-03-01', successor: 'gpt-7-sol' }),
      row('gpt-7-luna', '2026-12-01'),
    ];
    expect(staleSiblings(table)).toEqual([
      'openai:gpt-6.9-sol checked 2027-01-01, but its sibling openai:gpt-7-sol was checked 2027-02-01',
      'openai:gpt-6.7-sol checked 2026-12-01, but its sibling openai:gpt-7-sol was checked 2027-02-01',
    ]);
  });
});
