import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { postgresAdminUrl } from './log-backends.ts';
import { suiteBackends } from './log-fixtures.ts';

describe.runIf(postgresAdminUrl)('the bot on a PostgreSQL log store', () => {
  const [pgBackend] = suiteBackends().filter((b) => b.name === 'postgres');
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('GIVEN HIVE_DATABASE_URL=postgres://… THEN answers are booked, budgets hold, usage and evidence read back', async () => {
    const answer = () => ({ text: 'forty-two', usage: { input: 1000, output: 500 } });
    h = await startHarness({ vendors: { openai: answer }, env: { HIVE_DATABASE_URL: await pgBackend!.url() } });
    await h.run('/hive budget per-user 2');
    const r = await h.run('/ask --model openai:gpt-6-luna what is 6 times 7?', { userId: 'U1', channelId: 'C1' });
    expect(r.tone).not.toBe('error');
    const id = /evidence ([0-9A-Z]{26})/.exec(r.footer ?? '')![1]!;
    expect((await h.run(`/hive evidence ${id}`)).text).toContain(id);
    const u = await h.run('/hive usage day');
    expect(u.text).toMatch(/By model[\s\S]*openai:gpt-6-luna: \$0\.000\d+ · 1 call /);
    expect(u.text).toMatch(/By user[\s\S]*U1/);
    expect((await h.run('/hive budget', { userId: 'U1', channelId: 'C1' })).text).toMatch(/You: \$0\.000\d+ this month · cap \$2\.00/);
    await h.run('/hive budget workspace 0');
    const refused = await h.run('/ask --model openai:gpt-6-luna again', { userId: 'U1', channelId: 'C1' });
    expect(refused.tone).toBe('error');
    expect(refused.text).toMatch(/workspace budget/);
  });
});
