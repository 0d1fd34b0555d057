import { afterEach, describe, expect, it } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { createBooks } from '../../src/money/books.ts';
import { createSpendGate, scopesFor } from '../../src/money/budget.ts';
import { computeCost } from '../../src/money/cost.ts';
import { worstCaseUsd } from '../../src/money/usage-math.ts';
import { fileInputTokens } from '../../src/models/file-tokens.ts';
import { ZERO_USAGE, type ModelRequest } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';
import { generateCalls, pdfWith, runWithFiles, sharedFiles } from '../e2e/file-helpers.ts';

const now = new Date('2026-11-24T12:00:00Z');
const req: ModelRequest = { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'what is in the spec?' }], maxTokens: 1000 };
const ref = { vendor: 'anthropic' as const, model: 'claude-sonnet-5-5' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a job with files is held and confirmed at what its files cost', () => {
  it('GIVEN file tokens THEN the worst case and the budget hold include them', async () => {
    const tokens = fileInputTokens('anthropic', 'claude-sonnet-5-5', { kind: 'pdf', pages: 3 });
    const plain = worstCaseUsd(builtInPrices, ref, req, now)!;
    const withFiles = worstCaseUsd(builtInPrices, ref, req, now, tokens)!;
    const perToken = computeCost(builtInPrices, 'anthropic', 'claude-sonnet-5-5', { ...ZERO_USAGE, inputTokens: 1_000_000 }, { at: now })!.usd / 1e6;
    expect(withFiles - plain).toBeCloseTo(tokens * perToken, 12);
    const db = await openLogDb('memory://');
    const books = createBooks(db);
    const scopes = scopesFor({ workspaceId: 'w', channelId: 'C', userId: 'U' }, { workspaceUsd: 100 }, now);
    const gate = createSpendGate(builtInPrices, books, scopes, {
      workspaceId: 'w',
      channelId: 'C',
      userId: 'U',
      evidenceId: '01JD0000000000000000000000',
      at: now,
    });
    await gate.reserve(ref, req, tokens);
    const [held] = await books.balances([scopes[0]!.key]);
    expect(held!.held / 1e9).toBeCloseTo(withFiles, 9);
    await db.destroy();
  });

  it('GIVEN a confirmation threshold the question fits under but its PDF does not THEN the job asks first and no model is called', async () => {
    h = await startHarness({ vendors: { anthropic: () => ({ text: 'ok' }) } });
    await h.run('/hive budget confirm 0.000001');
    const asked = await h.run('/ask --model anthropic:claude-sonnet-5-5 what is in the spec?');
    const plain = Number(/could cost up to \$([\d.]+)/.exec(asked.text)![1]);
    const tokens = fileInputTokens('anthropic', 'claude-sonnet-5-5', { kind: 'pdf', pages: 3 });
    const fileUsd = computeCost(builtInPrices, 'anthropic', 'claude-sonnet-5-5', { ...ZERO_USAGE, inputTokens: tokens }, { at: new Date() })!.usd;
    await h.run(`/hive budget confirm ${(plain + fileUsd / 2).toFixed(6)}`);
    const files = sharedFiles([{ name: 'spec.pdf', bytes: await pdfWith(3, 'spec') }]);
    const refused = await runWithFiles(h.hive, '/ask --model anthropic:claude-sonnet-5-5 what is in the spec?', files);
    expect(refused.text).toMatch(/above this workspace's confirmation threshold/);
    expect(Number(/could cost up to \$([\d.]+)/.exec(refused.text)![1])).toBeGreaterThan(plain + fileUsd / 2);
    expect(generateCalls(h.vendors.anthropic!.requests)).toEqual([]);
    const plainAnswer = await h.run('/ask --model anthropic:claude-sonnet-5-5 what is in the spec?');
    expect(plainAnswer.tone).not.toBe('error');
    const confirmed = await runWithFiles(h.hive, '/ask --model anthropic:claude-sonnet-5-5 --yes what is in the spec?', files);
    expect(confirmed.footer).toContain('1 file, 3 pages');
  });
});
