import { afterEach, describe, expect, it } from 'vitest';
import { estimateConsensus } from '../../src/consensus/estimate.ts';
import { computeCost } from '../../src/money/cost.ts';
import { worstCaseInputTokens, worstCaseUsage, worstCaseUsd } from '../../src/money/usage-math.ts';
import { SYNTHESIS_SYSTEM } from '../../src/consensus/synthesis-prompt.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import type { ModelRef } from '../../src/shared/types.ts';
import type { ModelRequest } from '../../src/shared/provider-spec.ts';
import { PANEL, startPanel, type Panel } from './harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let panel: Panel | undefined;
afterEach(async () => {
  await panel?.close();
  panel = undefined;
});

const says = (text: string) => () => ({ text, usage: { input: 50, output: 3 } });
const threeVendors = () => ({ anthropic: says('42'), openai: says('42'), google: says('42') });
const requestCount = (p: Panel) => Object.values(p.fakes).reduce((n, f) => n + f.requests.length, 0);

describe('consensus cost gate', () => {
  it('GIVEN the worst case passes the confirmation threshold THEN the estimate is shown first and nothing is called', async () => {
    panel = await startPanel(threeVendors());
    await panel.hive.ctx.settings.update('local', (s) => ({ ...s, confirmAboveUsd: 0.01 }));
    const { reply } = await panel.consensus('What is 6 times 7?');
    expect(reply.tone).toBe('error');
    expect(reply.text).toMatch(/^This consensus could cost up to \$[\d.]+ \(/);
    for (const model of Object.values(PANEL)) expect(reply.text).toContain(model);
    expect(reply.text).toContain('synthesis up to $');
    expect(reply.text).toContain('Run it again with --yes');
    expect(requestCount(panel)).toBe(0);
  });

  it('GIVEN --yes THEN the same job runs', async () => {
    panel = await startPanel(threeVendors());
    await panel.hive.ctx.settings.update('local', (s) => ({ ...s, confirmAboveUsd: 0.01 }));
    const { reply } = await panel.consensus('--yes What is 6 times 7?');
    expect(reply.text).toContain('3/3 agree');
  });

  it('GIVEN a workspace budget smaller than the panel worst case THEN it refuses before any call and says how to fit', async () => {
    panel = await startPanel(threeVendors());
    await panel.hive.ctx.settings.update('local', (s) => ({ ...s, budgets: { workspaceUsd: 0.02 } }));
    const { reply } = await panel.consensus('What is 6 times 7?');
    expect(reply.text).toMatch(
      /The workspace budget has \$0\.020 left this month, and this consensus could cost up to \$[\d.]+ \(3 models and a synthesis\)\. Try `--cheap`/,
    );
    expect(requestCount(panel)).toBe(0);
  });

  it('GIVEN a panel THEN the estimate is the sum of the members\u2019 worst cases plus the synthesis', () => {
    const members: ModelRef[] = [
      { vendor: 'anthropic', model: PANEL.anthropic },
      { vendor: 'openai', model: PANEL.openai },
    ];
    const req: ModelRequest = { model: '', system: 'sys', messages: [{ role: 'user', content: 'q' }], maxTokens: 1000 };
    const at = new Date();
    const est = estimateConsensus(builtInPrices, members, req, [members[1]!], at);
    const sum = worstCaseUsd(builtInPrices, members[0]!, req, at)! + worstCaseUsd(builtInPrices, members[1]!, req, at)!;
    expect(est.complete).toBe(true);
    expect(est.synthesisUsd).toBeGreaterThan(0);
    expect(est.knownUsd).toBeCloseTo(sum + est.synthesisUsd!, 12);
    expect(estimateConsensus(builtInPrices, members.slice(0, 1), req, [], at).synthesisUsd).toBeUndefined();
  });

  it('GIVEN a request THEN its worst case is every UTF-8 byte a token plus 8 per message, and the full max_tokens out, for a member and the judge alike', () => {
    const req: ModelRequest = {
      model: '',
      system: 'sys',
      messages: [
        { role: 'user', content: 'grüß' },
        { role: 'assistant', content: 'ok' },
      ],
      maxTokens: 700,
    };
    expect(worstCaseUsage(req)).toEqual({ ...ZERO_USAGE, inputTokens: 3 + (6 + 8) + (2 + 8), outputTokens: 700 });
    const judge: ModelRef = { vendor: 'openai', model: PANEL.openai };
    const at = new Date();
    expect(worstCaseUsd(builtInPrices, judge, req, at)).toBe(computeCost(builtInPrices, 'openai', PANEL.openai, worstCaseUsage(req), { at })!.usd);
    // Two members' answers at full length in the judge's prompt, and one repair that re-sends it all.
    const members: ModelRef[] = [{ vendor: 'anthropic', model: PANEL.anthropic }, judge];
    const first = worstCaseInputTokens({ system: SYNTHESIS_SYSTEM, messages: req.messages }) + 600 * 3 + 2 * 700;
    const judgeUsage = { ...ZERO_USAGE, inputTokens: first + (first + 700 + 600), outputTokens: 2 * 700 };
    expect(estimateConsensus(builtInPrices, members, req, [judge], at).synthesisUsd).toBe(
      computeCost(builtInPrices, 'openai', PANEL.openai, judgeUsage, { at })!.usd,
    );
  });
});
