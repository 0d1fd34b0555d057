import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { importLegacyData } from '../../src/app/legacy-import.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { createStore } from '../../adapters/store/open-store.ts';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { books, expectedDays, LEGACY_KEYS, LEGACY_WS, loadLegacyFixture, readLegacy, type LegacyContents } from './legacy-fixture.ts';

const VENDORS: Vendor[] = ['openai', 'anthropic', 'google'];
const CHEAP: Record<Vendor, string> = { openai: 'openai:gpt-6-luna', anthropic: 'anthropic:claude-haiku-4-5', google: 'google:gemini-2.5-flash-lite' };
/** The old release's last day in the fixture, evening: October's content (30 days) has expired, November's has not. */
const NOW = Date.parse('2026-11-30T18:00:00Z');
const nano = (usd: number) => Math.round(usd * 1e9);
const other = (ws: string) => (ws === LEGACY_WS.a ? LEGACY_WS.b : LEGACY_WS.a);

let fakes: Record<Vendor, FakeVendor>;
const dirs: string[] = [];
const hives: Hive[] = [];

beforeAll(async () => {
  const entries = await Promise.all(
    VENDORS.map(async (v) => {
      const validKeys = [LEGACY_KEYS[LEGACY_WS.a]![v], LEGACY_KEYS[LEGACY_WS.b]![v]];
      return [v, await startFakeVendor({ vendor: v, validKeys, respond: () => ({ text: 'still here', usage: { input: 120, output: 30 } }) })] as const;
    }),
  );
  fakes = Object.fromEntries(entries) as Record<Vendor, FakeVendor>;
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});
beforeEach(() => {
  // Keyv expiries, evidence retention and the budget month all read the wall clock: pin it to the fixture's era.
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: NOW });
});
afterEach(async () => {
  await Promise.all(hives.splice(0).map((h) => h.close().catch(() => undefined)));
  vi.useRealTimers();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fixture(): { dir: string; legacy: LegacyContents } {
  const dir = loadLegacyFixture();
  dirs.push(dir);
  return { dir, legacy: readLegacy(dir) };
}

async function start(dir: string, logs: string[] = []): Promise<Hive> {
  const config = loadConfig({
    HIVE_DATA_DIR: dir,
    LOG_LEVEL: 'info',
    HIVE_VENDOR_TIMEOUT_MS: '2000',
    OPENAI_BASE_URL: fakes.openai.url,
    ANTHROPIC_BASE_URL: fakes.anthropic.url,
    GEMINI_BASE_URL: fakes.google.url,
  });
  const hive = await createHive(config, { logSink: { write: (l) => void logs.push(l) } });
  hives.push(hive);
  return hive;
}

async function stop(hive: Hive): Promise<void> {
  hives.splice(hives.indexOf(hive), 1);
  await hive.close();
}

function run(hive: Hive, workspaceId: string, line: string, who: { userId?: string; channelId?: string } = {}): Promise<Reply> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line)!;
  return new Promise<Reply>((resolve) => {
    const inv: Invocation = {
      platform: 'slack',
      workspaceId,
      channelId: who.channelId ?? 'C-general',
      userId: who.userId ?? 'U-ADMIN',
      command: m[1]!,
      text: m[2]!,
      isAdmin: async () => true,
      respond: async (r) => resolve(r),
    };
    void hive.dispatcher.handle(inv);
  });
}

describe('the data of the release before the SQL log store', () => {
  it('GIVEN its data folder WHEN Hive starts THEN /hive usage shows every old day and month exactly as its day documents', async () => {
    const { dir, legacy } = fixture();
    expect(legacy.docs.size).toBe(10);
    const hive = await start(dir);
    for (const [key, doc] of legacy.docs) {
      const [ws, day] = [key.slice(0, key.lastIndexOf('|')), key.slice(key.lastIndexOf('|') + 1)];
      const s = await hive.ledger.summarize(ws, day, day);
      expect({
        key,
        nano: nano(s.total.usd),
        calls: s.total.calls,
        input: s.total.inputTokens,
        output: s.total.outputTokens,
        unpriced: s.total.unpriced,
      }).toEqual({
        key,
        nano: nano(doc.total.usd),
        calls: doc.total.calls,
        input: doc.total.inputTokens,
        output: doc.total.outputTokens,
        unpriced: doc.total.unpriced,
      });
      vi.setSystemTime(Date.parse(`${day}T20:00:00Z`));
      const text = (await run(hive, ws, '/hive usage day')).text;
      expect(text).toContain(`*Usage ${day} → ${day} (UTC)*: ${formatUsd(doc.total.usd)}`);
      expect(text).toContain(` · ${doc.total.calls} ${doc.total.calls === 1 ? 'call' : 'calls'} · `);
    }
    for (const [month, last] of [
      ['2026-10', '2026-10-31'],
      ['2026-11', '2026-11-30'],
    ] as const) {
      for (const ws of Object.values(LEGACY_WS)) {
        const docs = [...legacy.docs].filter(([k]) => k.startsWith(`${ws}|${month}`)).map(([, d]) => d.total);
        const s = await hive.ledger.summarize(ws, `${month}-01`, last);
        expect(nano(s.total.usd)).toBe(docs.reduce((n, d) => n + nano(d.usd), 0));
        expect(s.total.calls).toBe(docs.reduce((n, d) => n + d.calls, 0));
        vi.setSystemTime(Date.parse(`${last}T20:00:00Z`));
        const text = (await run(hive, ws, '/hive usage month')).text;
        expect(text).toContain(`*Usage ${month}-01 → ${last} (UTC)*: ${formatUsd(s.total.usd)}`);
        expect(text.split('\n')[0]).toContain(` · ${s.total.calls} ${s.total.calls === 1 ? 'call' : 'calls'} · `);
      }
    }
    // An anchor that does not come from the documents: workspace A's November as the old budget counter had it.
    expect(nano((await hive.ledger.summarize(LEGACY_WS.a, '2026-11-01', '2026-11-30')).total.usd)).toBe(13_860_000);
    expect(legacy.counters.get(`spend|${LEGACY_WS.a}|2026-11`)).toBe(13_860_000);
  });

  it('GIVEN its data folder WHEN Hive starts THEN every old evidence id is found by its own workspace only, content while retention lasts', async () => {
    const { dir, legacy } = fixture();
    expect(legacy.evidence.length).toBe(14);
    const hive = await start(dir);
    for (const e of legacy.evidence) {
      const view = await hive.evidence.get(e.id, e.workspaceId);
      expect(view?.id).toBe(e.id);
      expect(await hive.evidence.get(e.id, other(e.workspaceId))).toBeUndefined();
      expect(view!.content === 'expired').toBe(e.createdAt < '2026-10-31T10:15');
      expect((await run(hive, e.workspaceId, `/hive evidence ${e.id}`)).text).toContain(e.id);
      expect((await run(hive, other(e.workspaceId), `/hive evidence ${e.id}`)).text).toMatch(/cannot be shown here/);
    }
  });

  it('GIVEN its data folder WHEN Hive starts THEN budgets show the old month, every counter equals its ledger sum, settings and keys still work', async () => {
    const { dir, legacy } = fixture();
    const logs: string[] = [];
    const hive = await start(dir, logs);
    const budget = (await run(hive, LEGACY_WS.a, '/hive budget')).text;
    expect(budget).toContain(`Workspace: ${formatUsd(0.01386)} this month · cap $40.00 (0%)`);
    for (const [key, n] of legacy.counters) if (key.split('|').length === 3) expect([key, (await hive.books.balances([key]))[0]!.settled]).toEqual([key, n]);
    for (const ws of Object.values(LEGACY_WS)) {
      for (const [month, last] of [
        ['2026-10', '2026-10-31'],
        ['2026-11', '2026-11-30'],
      ] as const) {
        const s = await hive.ledger.summarize(ws, `${month}-01`, last);
        const scopes: [string, number][] = [
          [`spend|${ws}|${month}`, s.total.usd],
          ...Object.entries(s.byChannel).map(([c, b]): [string, number] => [`spend|${ws}|${month}|c|${c}`, b.usd]),
          ...Object.entries(s.byUser).map(([u, b]): [string, number] => [`spend|${ws}|${month}|u|${u}`, b.usd]),
        ];
        const balances = await hive.books.balances(scopes.map(([k]) => k));
        expect(balances.map((b, i) => [scopes[i]![0], b.settled])).toEqual(scopes.map(([k, usd]) => [k, nano(usd)]));
      }
    }
    expect((await hive.ctx.settings.get(LEGACY_WS.b)).defaultLane).toBe('balanced');
    vi.setSystemTime(Date.parse('2026-12-02T09:00:00Z'));
    for (const ws of Object.values(LEGACY_WS)) {
      for (const v of VENDORS) {
        const reply = await run(hive, ws, `/ask --model ${CHEAP[v]} Are you still there?`);
        expect(reply.text).toBe('still here');
        expect(reply.footer).toMatch(/evidence [0-9A-Z]{26}/);
        expect(fakes[v].requests.at(-1)!.apiKey).toBe(LEGACY_KEYS[ws]![v]);
      }
    }
    const line = logs.find((l) => l.includes("imported the previous release's data"));
    expect(line).toMatch(/14 evidence records, \d+ ledger rows, \$0\.0\d+/);
    const all = logs.join('\n');
    for (const k of Object.values(LEGACY_KEYS).flatMap((m) => Object.values(m))) expect(all).not.toContain(k.slice(-16));
  });

  it('GIVEN an imported folder WHEN Hive starts again THEN nothing more is imported and the old entries are gone', async () => {
    const { dir, legacy } = fixture();
    const first: string[] = [];
    await stop(await start(dir, first));
    const after = books(dir);
    expect(after.days).toEqual(expectedDays(legacy));
    const raw = new Database(path.join(dir, 'hive.sqlite'), { readonly: true });
    const left = raw.prepare("SELECT count(*) AS n FROM hive WHERE key LIKE 'evidence%' OR key LIKE 'ledger:%'").get() as { n: number };
    const kept = raw.prepare("SELECT count(*) AS n FROM hive WHERE key LIKE 'keys:%' OR key LIKE 'settings:%'").get() as { n: number };
    raw.close();
    expect([left.n, kept.n]).toEqual([0, 8]);
    const second: string[] = [];
    await stop(await start(dir, second));
    expect(books(dir)).toEqual(after);
    expect(first.filter((l) => l.includes("imported the previous release's data"))).toHaveLength(1);
    expect(second.filter((l) => l.includes("imported the previous release's data"))).toHaveLength(0);
  });

  it.each([0, 3, 9, 13, 14, 15, 16])(
    'GIVEN an import that stops after %i items WHEN Hive starts again THEN the books equal an uninterrupted import',
    async (n) => {
      const clean = fixture();
      await stop(await start(clean.dir));
      const expected = books(clean.dir);
      const { dir } = fixture();
      const store = await createStore(`sqlite://${path.join(dir, 'hive.sqlite')}`);
      const db = await openLogDb(`sqlite://${path.join(dir, 'logs.sqlite')}`);
      let items = 0;
      const onItem = () => {
        if (++items > n) throw new Error('killed');
      };
      const quiet = { info: () => undefined, warn: () => undefined };
      await expect(importLegacyData({ store, db, log: quiet, retentionDays: 30, batchSize: 4, onItem })).rejects.toThrow(/killed/);
      await store.close();
      await db.destroy();
      const partial = books(dir);
      expect(partial.rows).toBeLessThan(expected.rows);
      await stop(await start(dir));
      expect(books(dir)).toEqual(expected);
    },
  );
});
