import { afterEach, describe, expect, it } from 'vitest';
import { scopesFor } from '../../src/money/budget.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const answer = () => ({ text: 'ok', usage: { input: 50, output: 10 } });
const who = { userId: 'U-test', channelId: 'C-test' };

async function spend(h: Harness, usd: number) {
  const [ws] = scopesFor({ workspaceId: 'local', ...who }, undefined, new Date());
  await h.hive.books.settle({ keys: [ws!.key], costNano: Math.round(usd * 1e9) });
}

describe('budgets in a job', () => {
  it('GIVEN a workspace budget 95% used THEN a balanced job steps down to cheap and says so', async () => {
    h = await startHarness({ vendors: { openai: answer } });
    await h.run('/hive budget workspace 1');
    await spend(h, 0.95);
    const r = await h.run('/ask --balanced explain our deploy pipeline');
    expect(r.tone).not.toBe('error');
    expect(r.footer).toMatch(/gpt-6-luna · cheap \(--balanced, budget\) .* stepped down from balanced \(workspace budget 95% used\)/);
    expect(h.vendors.openai!.requests.filter((q) => q.model).map((q) => q.model)).toEqual(['gpt-6-luna']);
  });

  it('GIVEN a spent budget THEN the job is refused before any call, naming the budget and how to raise it', async () => {
    h = await startHarness({ vendors: { openai: answer } });
    await h.run('/hive budget workspace 0.50');
    await spend(h, 0.5);
    const r = await h.run('/ask --cheap hello');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/workspace budget for this month is nearly spent \(\$0\.50 of \$0\.50\)[\s\S]*\/hive budget workspace <usd>/);
    expect(h.vendors.openai!.requests.filter((q) => q.model)).toHaveLength(0);
  });

  it('GIVEN a confirmation threshold THEN a costly job asks first and runs with --yes', async () => {
    h = await startHarness({ vendors: { anthropic: answer } });
    await h.run('/hive budget confirm 0.01');
    const ask = await h.run('/ask --deep prove the scheduler never starves a tenant');
    expect(ask.text).toMatch(
      /could cost up to \$0\.0\d+ on claude-opus-5-5@high, above this workspace's confirmation threshold of \$0\.010\. Run it again with --yes/,
    );
    expect(h.vendors.anthropic!.requests.filter((q) => q.model)).toHaveLength(0);
    const yes = await h.run('/ask --deep --yes prove the scheduler never starves a tenant');
    expect(yes.footer).toMatch(/claude-opus-5-5@high · deep \(--deep\)/);
  });

  it('GIVEN spend THEN /hive budget shows it per scope and /hive usage breaks it down', async () => {
    h = await startHarness({ vendors: { openai: answer } });
    await h.run('/hive budget per-user 2');
    await h.run('/ask --model openai:gpt-6-luna one');
    const b = await h.run('/hive budget');
    expect(b.text).toMatch(/You: \$0\.0000\d+ this month · cap \$2\.00/);
    const u = await h.run('/hive usage day');
    expect(u.text).toMatch(/By model[\s\S]*openai:gpt-6-luna: \$0\.0000\d+ · 1 call /);
    expect(u.text).toMatch(/By user[\s\S]*U-test/);
  });
});
