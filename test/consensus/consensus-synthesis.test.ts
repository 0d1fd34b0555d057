import { afterEach, describe, expect, it } from 'vitest';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import { isJudge, PANEL, startPanel, type Panel } from './harness.ts';

let panel: Panel | undefined;
afterEach(async () => {
  await panel?.close();
  panel = undefined;
});

const usage = { input: 150, output: 40 };
const PROSE = {
  anthropic: 'Use PostgreSQL: it gives you transactions, mature tooling and JSON columns for the odd schemaless field.',
  openai: 'PostgreSQL is the safer default here, because the data is relational and you need transactions.',
  google: 'MongoDB fits better: the documents vary a lot and you will iterate on the schema for months.',
};

/** Members answer in prose; the judge (on Anthropic, the balanced-lane default) answers with `judge`. */
function scripts(judge: (req: FakeRequest, n: number) => FakeBehaviour) {
  let judged = 0;
  return {
    anthropic: (req: FakeRequest) => (isJudge(req) ? judge(req, ++judged) : { text: PROSE.anthropic, usage }),
    openai: () => ({ text: PROSE.openai, usage }),
    google: () => ({ text: PROSE.google, usage }),
  };
}

const majority = JSON.stringify({
  answer: 'PostgreSQL, for transactions and relational data.',
  agreement: 'majority',
  agreed: ['The data has some relational structure'],
  disagreements: [
    {
      topic: 'which database',
      sides: [
        { candidates: ['A', 'B'], position: 'PostgreSQL' },
        { candidates: ['C'], position: 'MongoDB' },
      ],
    },
  ],
});

describe('/consensus with prose answers (synthesis)', () => {
  it('GIVEN prose answers THEN one judge call receives every candidate fenced as untrusted data, and the verdict names who differs on what', async () => {
    panel = await startPanel(scripts(() => ({ text: majority, usage })));
    const { reply, out } = await panel.consensus('Which database should we use for our orders service?');
    const judgeReqs = panel.fakes.anthropic!.requests.filter(isJudge);
    expect(judgeReqs).toHaveLength(1);
    const prompt = judgeReqs[0]!.lastUserText;
    expect(prompt).toMatch(/<<<CANDIDATE A (\w+)>>>\n[\s\S]*\n<<<END CANDIDATE A \1>>>/);
    for (const text of Object.values(PROSE)) expect(prompt).toContain(text);
    expect(JSON.stringify(judgeReqs[0]!.body)).toContain('untrusted data');
    expect(reply.text).toContain('PostgreSQL, for transactions and relational data.');
    expect(reply.text).toContain(`2/3 agree — ${PANEL.google} differs on which database`);
    expect(out).toContain(`Disagreements\n- which database: ${PANEL.anthropic} and ${PANEL.openai}: PostgreSQL; ${PANEL.google}: MongoDB`);
    expect(out).toContain('Points of agreement\n- The data has some relational structure');
    expect(out).toMatch(new RegExp(`${PANEL.anthropic} \\(Anthropic\\): synthesis · (\\d+ ms|\\d+\\.\\d s) · \\$`)); // latency prints as 12 ms or 0.1 s
    expect(reply.footer).toContain(`synthesis by ${PANEL.anthropic}`);
  });

  it('GIVEN a split verdict THEN the disagreement lists the models on each side', async () => {
    const split = JSON.stringify({
      answer: 'It depends on how relational the data is.',
      agreement: 'split',
      agreed: [],
      disagreements: [
        {
          topic: 'which database',
          sides: [
            { candidates: ['A'], position: 'PostgreSQL' },
            { candidates: ['B'], position: 'SQLite' },
            { candidates: ['C'], position: 'MongoDB' },
          ],
        },
      ],
    });
    panel = await startPanel(scripts(() => ({ text: split, usage })));
    const { reply, out } = await panel.consensus('Which database should we use?');
    expect(reply.text).toContain('no majority — split on which database');
    expect(out).toContain(`- which database: ${PANEL.anthropic}: PostgreSQL; ${PANEL.openai}: SQLite; ${PANEL.google}: MongoDB`);
  });

  it('GIVEN a judge whose first reply is not JSON THEN one repair attempt is made and its valid reply is used', async () => {
    panel = await startPanel(
      scripts((_req, n) => ({ text: n === 1 ? 'Sure! Here is my analysis: they mostly agree.' : `\`\`\`json\n${majority}\n\`\`\``, usage })),
    );
    const { reply, out } = await panel.consensus('Which database should we use?');
    const judgeReqs = panel.fakes.anthropic!.requests.filter(isJudge);
    expect(judgeReqs).toHaveLength(2);
    expect(judgeReqs[1]!.lastUserText).toContain('could not be used: it was not a JSON object');
    expect(reply.text).toContain('2/3 agree');
    expect(out).toContain('synthesis (after one repair)');
  });

  it('GIVEN a judge that never returns valid JSON THEN the answers are shown side by side and the synthesis cost is still counted', async () => {
    panel = await startPanel(scripts(() => ({ text: '{"answer": "PostgreSQL", "agreement": "mostly"}', usage })));
    const { reply, out } = await panel.consensus('Which database should we use?');
    expect(panel.fakes.anthropic!.requests.filter(isJudge)).toHaveLength(2);
    expect(reply.text).toContain('agreement unknown — synthesis by');
    expect(reply.text).toContain('the answers are side by side');
    for (const [vendor, text] of Object.entries(PROSE)) expect(out).toContain(`${PANEL[vendor as keyof typeof PANEL]} answered\n${text}`);
    expect(out).toContain('synthesis failed: unusable reply after a repair attempt');
    const id = /evidence (\w{26})/.exec(reply.footer!)![1]!;
    const record = await panel.hive.evidence.get(id, 'local');
    expect(record!.calls).toHaveLength(5); // three members and two judge attempts
    expect(record!.details).toMatchObject({ verdict: { method: 'side_by_side' }, synthesis: { ok: false, attempts: 2 } });
  });

  it('GIVEN a judge that names a candidate it was never shown THEN the reply is rejected as invalid', async () => {
    const bad = majority.replace('"C"', '"Z"');
    panel = await startPanel(scripts(() => ({ text: bad, usage })));
    const { reply } = await panel.consensus('Which database should we use?');
    expect(reply.text).toContain('side by side');
  });

  it('GIVEN the judge vendor fails THEN the answers are shown side by side with the reason', async () => {
    panel = await startPanel(scripts(() => ({ status: 400, errorMessage: 'nope' })));
    const { reply } = await panel.consensus('Which database should we use?');
    expect(reply.text).toContain(`synthesis by ${PANEL.anthropic} failed: request refused (HTTP 400)`);
  });

  it('GIVEN the judge hangs past its deadline THEN the reply, the footer and the member list say it timed out and after how long', async () => {
    panel = await startPanel(
      scripts(() => ({ hang: true })),
      { tuning: { memberTimeoutMs: 3000, graceMs: 40, graceRatio: 0, synthesisTimeoutMs: 150 } },
    );
    const { reply, out } = await panel.consensus('Which database should we use?');
    expect(reply.text).toContain(`synthesis by ${PANEL.anthropic} failed: timed out (no answer within 150 ms)`);
    expect(reply.footer).toContain(`synthesis failed on ${PANEL.anthropic}`);
    expect(out).toContain(`${PANEL.anthropic} (Anthropic): synthesis failed: timed out (no answer within 150 ms)`);
  });

  it('GIVEN a configured synthesis model THEN it judges instead of the default', async () => {
    const judged: string[] = [];
    const base = scripts(() => ({ text: majority, usage }));
    panel = await startPanel(
      { ...base, openai: (req: FakeRequest) => (isJudge(req) ? (judged.push(req.model), { text: majority, usage }) : { text: PROSE.openai, usage }) },
      { tuning: { memberTimeoutMs: 3000, graceMs: 40, graceRatio: 0, synthesisTimeoutMs: 3000, synthesisModel: { vendor: 'openai', model: 'gpt-6-luna' } } },
    );
    const { reply } = await panel.consensus('Which database should we use?');
    expect(judged).toEqual(['gpt-6-luna']);
    expect(panel.fakes.anthropic!.requests.filter(isJudge)).toHaveLength(0);
    expect(reply.footer).toContain('synthesis by gpt-6-luna');
  });

  it('GIVEN a workspace judge set with /hive lanes judge THEN that model writes the verdict', async () => {
    const judged: string[] = [];
    const base = scripts(() => ({ text: majority, usage }));
    panel = await startPanel({
      ...base,
      google: (req: FakeRequest) => (isJudge(req) ? (judged.push(req.model), { text: majority, usage }) : { text: PROSE.google, usage }),
    });
    const set = await new Promise<{ text: string }>((resolve) => {
      void panel!.hive.dispatcher.handle({
        platform: 'test',
        workspaceId: 'local',
        channelId: 'C',
        userId: 'U',
        command: 'hive',
        text: 'lanes judge google:gemini-2.5-flash-lite',
        isAdmin: async () => true,
        respond: async (r) => resolve(r),
      });
    });
    expect(set.text).toMatch(/Consensus verdicts are written by google:gemini-2\.5-flash[\s\S]*Consensus judge: google:gemini-2\.5-flash/);
    const { reply } = await panel.consensus('Which database should we use?');
    expect(judged).toEqual(['gemini-2.5-flash-lite']);
    expect(panel.fakes.anthropic!.requests.filter(isJudge)).toHaveLength(0);
    expect(reply.footer).toContain('synthesis by gemini-2.5-flash-lite');
  });
});
