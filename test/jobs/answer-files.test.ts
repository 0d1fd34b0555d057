import { afterEach, describe, expect, it } from 'vitest';
import type { ActionKind } from '../../src/chat/answer-actions.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { sendLine } from '../helpers/action-line.ts';
import type { AttachmentReader, AttachmentRef } from '../../src/shared/attachment.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { generateCalls, pngWith, sha256, sharedFiles } from '../e2e/file-helpers.ts';

/** A Discord-like signed CDN URL: a capability while it lasts, so it must never be stored in the clear. */
const SIGNED_URL = 'https://cdn.files.test/attachments/1/2/chart.png?ex=6790&is=678f&hm=signed-9c1e4a7b2d';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** One chat line on a platform that shows every action; files and a reader when given. */
function send(
  hive: Harness['hive'],
  command: string,
  text: string,
  o: { userId?: string; admin?: boolean; refs?: AttachmentRef[]; read?: AttachmentReader } = {},
): Promise<Reply> {
  const extra = { ...(o.refs ? { attachments: o.refs } : {}), ...(o.read ? { readAttachment: o.read } : {}) };
  return sendLine(hive, command, text, { ...(o.userId ? { userId: o.userId } : {}), ...(o.admin ? { admin: o.admin } : {}) }, extra).reply;
}

const refOf = (r: Reply, kind: ActionKind) => r.actions!.find((a) => a.kind === kind)!.ref;

/** A screenshot shared with a cheap question, described with the platform's signed URL in its `source`. */
async function askedWithScreenshot(vendors: Parameters<typeof startHarness>[0]['vendors']) {
  h = await startHarness({ store: 'sqlite', vendors });
  const png = pngWith('answer-files');
  const files = sharedFiles([{ name: 'chart.png', bytes: png }]);
  const refs = files.refs.map((f) => ({ ...f, source: { url: SIGNED_URL, attachmentId: f.id } }));
  const first = await send(h.hive, 'ask', '--cheap what does this chart show?', { refs, read: files.read });
  expect(first.tone).not.toBe('error');
  expect(first.footer).toContain('1 file');
  return { h, png, files, refs, first };
}

describe('a re-run reads the files its answer read', () => {
  it('GIVEN an answer that read a screenshot THEN Re-run deeper sends the screenshot again to the deep model, read by the presser', async () => {
    const { h, png, files, refs, first } = await askedWithScreenshot({ anthropic: (req) => ({ text: `seen by ${req.model}` }) });
    const pressed = sharedFiles([{ name: 'chart.png', bytes: png }]); // the presser's own reader, same platform and workspace
    const again = await send(h.hive, 'deeper', refOf(first, 'deeper'), { userId: 'U-other', read: pressed.read });
    expect(again.tone).not.toBe('error');
    expect(again.footer).toMatch(/deep \(re-run deeper\)/);
    expect(again.footer).toContain('1 file');
    expect(again.text).not.toMatch(/could not be read again/);
    const [asked, rerun, ...more] = generateCalls(h.vendors.anthropic!.requests);
    expect(more).toEqual([]);
    expect(asked!.files.map((f) => [f.kind, f.sha256])).toEqual([['image', sha256(png)]]);
    expect(rerun!.model).toMatch(/^claude-opus/);
    expect(rerun!.files.map((f) => [f.kind, f.sha256])).toEqual([['image', sha256(png)]]);
    expect([...files.reads.values()]).toEqual([1]);
    expect([...pressed.reads.values()]).toEqual([1]);
    // The book keeps the descriptions as they were, sealed: no signed URL, no file name in the clear.
    expect((await h.hive.ctx.answers.book.get(refOf(first, 'deeper'), 'local'))!.attachments).toEqual(refs);
    const stored = JSON.stringify(await h.hive.logs.selectFrom('answer_jobs').selectAll().execute());
    expect(stored).toContain('aes-256-gcm');
    for (const needle of [SIGNED_URL, 'cdn.files.test', 'signed-9c1e4a7b2d', 'chart.png']) expect(stored).not.toContain(needle);
  });

  it('GIVEN Re-run cheaper and Ask consensus THEN each sends the screenshot again, to every consensus member', async () => {
    const answer = (req: { model: string }) => ({ text: `seen by ${req.model}` });
    const { h, png, first } = await askedWithScreenshot({ anthropic: answer, openai: answer });
    const read = sharedFiles([{ name: 'chart.png', bytes: png }]).read;
    const before = generateCalls([...h.vendors.anthropic!.requests, ...h.vendors.openai!.requests]).length;
    const cheaper = await send(h.hive, 'cheaper', refOf(first, 'cheaper'), { read });
    expect(cheaper.footer).toContain('1 file');
    const consensus = await send(h.hive, 'compare', refOf(first, 'consensus'), { read });
    expect(consensus.tone).not.toBe('error');
    const calls = generateCalls([...h.vendors.anthropic!.requests, ...h.vendors.openai!.requests]).slice(before);
    // The cheaper run and each member read the screenshot; the judge reads the members' answers, not the files.
    const withImage = calls.filter((c) => c.files.some((f) => f.kind === 'image' && f.sha256 === sha256(png)));
    expect(withImage.map((c) => c.model).sort()).toEqual(['claude-haiku-5-5', 'claude-sonnet-5-5', 'gpt-6.2-sol']);
    expect(consensus.sections?.length).toBeGreaterThan(0);
  });

  it('GIVEN a press with no reader THEN the re-run says the files could not be read again and answers without them', async () => {
    const { h, first } = await askedWithScreenshot({ anthropic: (req) => ({ text: `seen by ${req.model}` }) });
    const again = await send(h.hive, 'deeper', refOf(first, 'deeper'), { userId: 'U-other' });
    expect(again.tone).not.toBe('error');
    expect(again.text).toMatch(/^seen by claude-opus/);
    expect(again.text).toMatch(/the file this answer read \(chart\.png\) could not be read again from here, so this answer was made without them\.$/);
    expect(again.footer).not.toContain('1 file');
    const rerun = generateCalls(h.vendors.anthropic!.requests)[1]!;
    expect(rerun.files).toEqual([]);
  });

  it('GIVEN an answer from before files were kept (its row holds none) THEN a re-run runs as it always did', async () => {
    const { h, png, first } = await askedWithScreenshot({ anthropic: (req) => ({ text: `seen by ${req.model}` }) });
    await h.hive.logs.updateTable('answer_jobs').set({ attachments: null }).execute();
    const pressed = sharedFiles([{ name: 'chart.png', bytes: png }]);
    const again = await send(h.hive, 'deeper', refOf(first, 'deeper'), { userId: 'U-other', read: pressed.read });
    expect(again.tone).not.toBe('error');
    expect(again.text).toBe('seen by claude-opus-5-5');
    expect(again.footer).not.toContain('file');
    expect(generateCalls(h.vendors.anthropic!.requests)[1]!.files).toEqual([]);
    expect(pressed.reads.size).toBe(0);
  });

  it('GIVEN a row whose files were sealed under another key THEN votes still work and a re-run says the files are lost', async () => {
    const { h, first } = await askedWithScreenshot({ anthropic: (req) => ({ text: `seen by ${req.model}` }) });
    const row = await h.hive.logs.selectFrom('answer_jobs').select('attachments').executeTakeFirstOrThrow();
    const moved = JSON.stringify({ ...(JSON.parse(row.attachments!) as object), kid: 'another-key' });
    await h.hive.logs.updateTable('answer_jobs').set({ attachments: moved }).execute();
    expect((await send(h.hive, 'good', refOf(first, 'helpful'))).text).toMatch(/marked helpful/);
    const again = await send(h.hive, 'deeper', refOf(first, 'deeper'), { read: sharedFiles([]).read });
    expect(again.text).toMatch(/could not be found again .*without them\.$/);
    expect(generateCalls(h.vendors.anthropic!.requests)[1]!.files).toEqual([]);
  });

  it('GIVEN a job with a screenshot held for its cost THEN Confirm runs it with the screenshot, read by the one who confirms', async () => {
    h = await startHarness({ store: 'sqlite', vendors: { anthropic: (req) => ({ text: `seen by ${req.model}` }) } });
    expect((await send(h.hive, 'hive', 'budget confirm 0.000001', { admin: true })).text).toMatch(/ask for confirmation first/);
    const png = pngWith('held');
    const files = sharedFiles([{ name: 'chart.png', bytes: png }]);
    const held = await send(h.hive, 'ask', 'what does this chart show?', { refs: files.refs, read: files.read });
    expect(held.text).toMatch(/Press Confirm to go ahead/);
    expect(generateCalls(h.vendors.anthropic!.requests)).toEqual([]);
    const ran = await send(h.hive, 'confirm', refOf(held, 'confirm'), { read: sharedFiles([{ name: 'chart.png', bytes: png }]).read });
    expect(ran.footer).toContain('1 file');
    expect(generateCalls(h.vendors.anthropic!.requests).map((c) => c.files.map((f) => f.sha256))).toEqual([[sha256(png)]]);
  });
});
