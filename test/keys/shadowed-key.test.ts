import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, startHarness, type Harness } from '../helpers/hive-harness.ts';

const STORED = 'sk-stored-0123456789abcdefghijWXYZ';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a stored key shadowed by an environment key', () => {
  it('GIVEN OPENAI_API_KEY and a stored OpenAI key for local THEN keys list shows both, the stored one as not used and why, and jobs use the environment’s', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 1, output: 1 } }) } });
    await h.hive.keys.register('local', 'openai', STORED, { verify: false });
    const text = (await h.run('/hive keys list')).text;
    const lines = text.split('\n').filter((l) => l.includes('OpenAI'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/from environment/);
    expect(lines[1]).toMatch(
      /WXYZ · added \d{4}-\d\d-\d\d · never verified · not used — OPENAI_API_KEY is set and wins; unset it and restart to use this stored key/,
    );
    await expect(h.hive.keys.usable('local').then((m) => m.get('openai')?.key)).resolves.toBe(CANARY.openai);
    await h.run('/ask --model openai:gpt-6-luna hi');
    expect(h.vendors.openai!.requests.filter((r) => r.model).map((r) => r.apiKey)).toEqual([CANARY.openai]);
  });
});
