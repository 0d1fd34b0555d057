import { afterEach, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/money/footer.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('what users read when something is refused', () => {
  it('GIVEN amounts far below a cent THEN formatUsd never throws', () => {
    expect(formatUsd(5e-324)).toBe('<$0.0000000001');
    expect(formatUsd(2e-8)).toBe('$0.000000020');
  });

  it('GIVEN an unknown command full of control bytes and 50 KB long THEN the reply names it escaped and clipped', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    const r = await h.run(`/\u001b[2J${'x'.repeat(50_000)}`);
    expect(r.text).toMatch(/^Unknown command /);
    expect(r.text).not.toContain('\u001b');
    expect(r.text.length).toBeLessThan(300);
  });

  it('GIVEN a vendor that refuses the request (400) THEN the answer does not tell the user to try again', async () => {
    h = await startHarness({ vendors: { openai: () => ({ status: 400, errorType: 'invalid_request_error', errorMessage: 'model does not support this' }) } });
    const r = await h.run('/ask --model openai:gpt-6-luna hello');
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(/Trying again will not help: pick another model or lane/);
    expect(r.text).not.toMatch(/Try again shortly/);
  });

  it('GIVEN a $0 workspace cap THEN a job is refused saying the cap blocks every paid call, not "nearly spent"', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok' }) } });
    await h.run('/hive budget workspace 0');
    const r = await h.run('/ask hello there');
    expect(r.text).toMatch(/budget for this month is \$0\.00, which blocks every paid call/);
    expect(r.text).not.toMatch(/nearly spent/);
    expect(h.vendors.openai!.requests.filter((q) => q.model)).toHaveLength(0);
  });
});
