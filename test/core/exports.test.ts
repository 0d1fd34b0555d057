import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import { csvField } from '../../src/money/ledger-csv.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const code = await runCli(args, env, { stdin: process.stdin, stdout: out, stderr: err });
  return { code, out: o, err: e };
}

describe('exports for finance and audit: hive usage --csv, hive evidence export', () => {
  it('GIVEN booked calls THEN it prints a header and one line per call, with the exact cost and the evidence id of each', async () => {
    h = await startHarness({ store: 'sqlite', vendors: { openai: () => ({ text: 'ok', usage: { input: 1000, output: 500 } }) } });
    const a = await h.run('/ask --model openai:gpt-6-luna first', { userId: 'U1', channelId: 'C1' });
    const b = await h.run('/ask --model openai:gpt-6-luna second', { userId: 'U2', channelId: 'C,2' });
    const ids = [a, b].map((r) => /evidence ([0-9A-Z]{26})/.exec(r.footer ?? '')![1]!);
    const r = await cli(['usage', '--workspace', 'local', '--period', 'day', '--csv'], {
      HIVE_DATA_DIR: h.dataDir,
      HIVE_STORE_URL: `sqlite://${path.join(h.dataDir, 'hive.sqlite')}`,
      LOG_LEVEL: 'silent',
    });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(
      'time,workspace,channel,user,vendor,model,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,evidence_id,estimated,lane,route',
    );
    expect(lines).toHaveLength(3);
    // 1,000 input × $0.10/M + 500 output × $0.50/M = $0.00035 per call
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z,local,C1,U1,openai,gpt-6-luna,1000,500,0,0,0,0\\.00035,${ids[0]},no,cheap,'--model$`));
    expect(lines[2]).toMatch(new RegExp(`,local,"C,2",U2,openai,gpt-6-luna,1000,500,0,0,0,0\\.00035,${ids[1]},no,cheap,'--model$`));
  });

  it('GIVEN answers THEN hive evidence export --since prints one JSON record per line, oldest first, and refuses a bad date', async () => {
    h = await startHarness({ store: 'sqlite', vendors: { openai: () => ({ text: 'the answer', usage: { input: 10, output: 5 } }) } });
    const ids: string[] = [];
    for (const q of ['one', 'two', 'three']) ids.push(/evidence ([0-9A-Z]{26})/.exec((await h.run(`/ask --model openai:gpt-6-luna ${q}`)).footer ?? '')![1]!);
    const env = { HIVE_DATA_DIR: h.dataDir, HIVE_STORE_URL: `sqlite://${path.join(h.dataDir, 'hive.sqlite')}`, LOG_LEVEL: 'silent' };
    // Prompts and answers follow their records in a batch a moment later; another process sees them once it is written.
    await h.hive.evidence.flush();
    const r = await cli(['evidence', 'export', '--since', new Date().toISOString().slice(0, 10)], env);
    expect(r.code).toBe(0);
    const records = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; workspaceId: string; content: { answer: string } });
    expect(records.map((x) => x.id)).toEqual(ids);
    expect(records[0]).toMatchObject({ workspaceId: 'local', content: { answer: 'the answer' } });
    const later = await cli(['evidence', 'export', '--since', '2999-01-01'], env);
    expect(later.out).toBe('');
    const bad = await cli(['evidence', 'export', '--since', 'yesterday'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since takes a UTC day/);
  });

  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(csvField('a"b,c')).toBe('"a""b,c"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(0.00045)).toBe('0.00045');
  });
});
