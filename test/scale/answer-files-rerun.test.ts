import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import { ACTION_KINDS, type ActionKind } from '../../src/chat/answer-actions.ts';
import type { ChatAnswerer } from '../../src/chat/answerer.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { sealJob, type QueuedJob } from '../../src/chat/queued-job.ts';
import type { AttachmentReader } from '../../src/shared/attachment.ts';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { createMemoryQueue, type MemoryQueue } from '../fakes/memory-queue.ts';
import { CANARY } from '../helpers/hive-harness.ts';
import { logBackends } from '../store/log-backends.ts';
import { generateCalls, pngWith, runWithFiles, sha256, sharedFiles } from '../e2e/file-helpers.ts';

/** A platform's signed download URL in a file's description: never stored or queued in the clear. */
const SIGNED_URL = 'https://cdn.files.test/attachments/7/8/chart.png?ex=6790&hm=signed-41d0c2';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closing.reverse()) await c();
  closing = [];
});

/** Two processes of one install: the same log database and master key, each with its own data dir. */
async function install(databaseUrl: (dir: string) => Promise<string>): Promise<{ intake: Hive<MemoryQueue>; worker: Hive; vendor: FakeVendor }> {
  const vendor = await startFakeVendor({ vendor: 'anthropic', respond: (req) => ({ text: `seen by ${req.model}` }) });
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-rerun-files-'));
  const env = {
    HIVE_STORE_URL: 'memory://',
    HIVE_DATABASE_URL: await databaseUrl(shared),
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ANTHROPIC_API_KEY: CANARY.anthropic,
    ANTHROPIC_BASE_URL: vendor.url,
  };
  const open = <Q extends MemoryQueue>(name: string, queue?: Q) =>
    createHive<Q>(loadConfig({ ...env, HIVE_DATA_DIR: fs.mkdtempSync(path.join(shared, name)) }), {
      ...(queue ? { queue } : {}),
      logSink: { write: () => undefined },
    });
  const intake = await open('intake', createMemoryQueue());
  const worker = await open('worker');
  closing.push(async () => {
    await worker.close();
    await intake.close();
    await vendor.close();
    fs.rmSync(shared, { recursive: true, force: true });
  });
  return { intake, worker, vendor };
}

/** A worker's side of a test platform; `reader` is what its resume rebuilds for a job (with files, or for every job). */
function answerer(replies: Reply[], reader: { read: AttachmentReader; always: boolean }): ChatAnswerer {
  return {
    name: 'test',
    post: async (t) => ({ workspaceId: t.workspaceId, channelId: t.channelId, messageId: 'm1' }),
    edit: async () => undefined,
    stop: async () => undefined,
    resume: async (job) => ({
      ...{ platform: job.platform, workspaceId: job.workspaceId, channelId: job.channelId, userId: job.userId, command: job.command, text: job.text },
      ...(job.attachments ? { attachments: job.attachments } : {}),
      ...(job.attachments || reader.always ? { readAttachment: reader.read } : {}),
      actions: ACTION_KINDS,
      isAdmin: async () => false,
      respond: async (r) => void replies.push(r),
    }),
  };
}

const queuedAs = (id: string) => () => ({ id, address: { to: 'C-test' }, addressFormat: { platform: 'test', v: 1 } });
const refOf = (r: Reply, kind: ActionKind) => r.actions!.find((a) => a.kind === kind)!.ref;

const backends = logBackends().filter((b) => b.name !== 'memory');
afterAll(() => Promise.all(backends.map((b) => b.close())));

describe.each(backends)('scale-out on $name: a re-run of an answer that read a file, answered by another worker', (backend) => {
  const databaseUrl = (dir: string) => (backend.name === 'sqlite' ? Promise.resolve(`sqlite://${path.join(dir, 'logs.sqlite')}`) : backend.url());

  it('GIVEN Re-run deeper pressed with no files THEN another worker reads the answer’s screenshot again and sends it to the deep model; no URL is stored', async () => {
    const { intake, worker, vendor } = await install(databaseUrl);
    const png = pngWith('scale-rerun');
    const files = sharedFiles([{ name: 'chart.png', bytes: png }]);
    const refs = files.refs.map((f) => ({ ...f, source: { url: SIGNED_URL } }));
    void runWithFiles(intake.host.dispatcher, '/ask --cheap what does this chart show?', { refs, read: files.read }, { queue: queuedAs('test:event:ask') });
    const [asked] = await intake.queue!.waitFor(1);
    const first: Reply[] = [];
    await intake.answerJobs(new Map([['test', answerer(first, { read: files.read, always: false })]]), 'w1')(asked!, { stalled: 0 });
    expect(first[0]!.footer).toContain('1 file');

    void runWithFiles(intake.host.dispatcher, `/deeper ${refOf(first[0]!, 'deeper')}`, { refs: [] }, { userId: 'U-other', queue: queuedAs('test:press:1') });
    const [, press] = await intake.queue!.waitFor(2);
    expect(press!.attachments ?? []).toEqual([]); // a press carries no files: the answer book has them
    const again: Reply[] = [];
    const pressed = sharedFiles([{ name: 'chart.png', bytes: png }]);
    await worker.answerJobs(new Map([['test', answerer(again, { read: pressed.read, always: true })]]), 'w2')(press!, { stalled: 0 });
    expect(again[0]!.footer).toMatch(/deep \(re-run deeper\)/);
    expect(again[0]!.footer).toContain('1 file');
    const [, rerun] = generateCalls(vendor.requests);
    expect(rerun!.model).toMatch(/^claude-opus/);
    expect(rerun!.files.map((f) => [f.kind, f.sha256])).toEqual([['image', sha256(png)]]);
    expect([...pressed.reads.values()]).toEqual([1]);

    const rows = JSON.stringify(await worker.logs.selectFrom('answer_jobs').selectAll().execute());
    expect(rows).toContain('aes-256-gcm');
    for (const needle of [SIGNED_URL, 'signed-41d0c2', 'chart.png']) expect(rows).not.toContain(needle);
    const queued = JSON.stringify(intake.queue!.jobs.map((j: QueuedJob) => sealJob(intake.sealer, j)));
    expect(queued).not.toContain('signed-41d0c2');
  });

  it('GIVEN a worker whose platform rebuilds a reader only for jobs with files THEN Re-run cheaper answers without the file and says so', async () => {
    const { intake, worker, vendor } = await install(databaseUrl);
    const files = sharedFiles([{ name: 'chart.png', bytes: pngWith('no-reader') }]);
    void runWithFiles(intake.host.dispatcher, '/ask what does this chart show?', files, { queue: queuedAs('test:event:ask') });
    const [asked] = await intake.queue!.waitFor(1);
    const first: Reply[] = [];
    await intake.answerJobs(new Map([['test', answerer(first, { read: files.read, always: false })]]), 'w1')(asked!, { stalled: 0 });
    void runWithFiles(intake.host.dispatcher, `/cheaper ${refOf(first[0]!, 'cheaper')}`, { refs: [] }, { queue: queuedAs('test:press:2') });
    const [, press] = await intake.queue!.waitFor(2);
    const again: Reply[] = [];
    await worker.answerJobs(new Map([['test', answerer(again, { read: files.read, always: false })]]), 'w2')(press!, { stalled: 0 });
    expect(again[0]!.tone).not.toBe('error');
    expect(again[0]!.text).toMatch(/\(chart\.png\) could not be read again from here/);
    expect(generateCalls(vendor.requests)[1]!.files).toEqual([]);
  });
});
