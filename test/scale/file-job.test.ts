import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import type { ChatAnswerer } from '../../src/chat/answerer.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { openJob, sealJob } from '../../src/chat/queued-job.ts';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { createMemoryQueue, type MemoryQueue } from '../fakes/memory-queue.ts';
import { CANARY } from '../helpers/hive-harness.ts';
import { generateCalls, pdfWith, pngWith, runWithFiles, sha256, sharedFiles } from '../e2e/file-helpers.ts';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closing.reverse()) await c();
  closing = [];
});

/** A Hive whose intake queues jobs, over a fake Anthropic. */
async function queuedHive(): Promise<{ hive: Hive<MemoryQueue>; vendor: FakeVendor }> {
  const vendor = await startFakeVendor({ vendor: 'anthropic', respond: () => ({ text: 'A chart and a spec.' }) });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-file-job-'));
  const config = loadConfig({
    HIVE_DATA_DIR: dataDir,
    HIVE_STORE_URL: 'memory://',
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ANTHROPIC_API_KEY: CANARY.anthropic,
    ANTHROPIC_BASE_URL: vendor.url,
  });
  const hive = await createHive<MemoryQueue>(config, { queue: createMemoryQueue(), logSink: { write: () => undefined } });
  closing.push(async () => {
    await hive.close();
    await vendor.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { hive, vendor };
}

/** The worker's side of a test platform: it rebuilds the job's reader from its own credentials, as Slack and Discord do. */
function answererWith(read: ReturnType<typeof sharedFiles>['read'], replies: Reply[]): ChatAnswerer {
  return {
    name: 'test',
    post: async (t) => ({ workspaceId: t.workspaceId, channelId: t.channelId, messageId: 'm1' }),
    edit: async () => undefined,
    stop: async () => undefined,
    resume: async (job) => ({
      platform: job.platform,
      workspaceId: job.workspaceId,
      channelId: job.channelId,
      userId: job.userId,
      command: job.command,
      text: job.text,
      ...(job.attachments ? { attachments: job.attachments, readAttachment: read } : {}),
      isAdmin: async () => false,
      respond: async (r) => void replies.push(r),
    }),
  };
}

describe('scale-out: a job with files answered by a worker', () => {
  it('GIVEN a request with files queued at intake THEN the queue seals their descriptions (no bytes) and a worker reads them and answers', async () => {
    const { hive, vendor } = await queuedHive();
    const png = pngWith('queued');
    const pdf = await pdfWith(3, 'queued');
    const files = sharedFiles([
      { name: 'chart.png', bytes: png },
      { name: 'spec.pdf', bytes: pdf },
    ]);
    void runWithFiles(hive.host.dispatcher, '/ask --model anthropic:claude-sonnet-5-5 what do these show?', files, {
      queue: () => ({ id: 'test:event:1', address: { to: 'C-test' }, addressFormat: { platform: 'test', v: 1 } }),
    });
    const [queued] = await hive.queue!.waitFor(1);
    expect(queued!.attachments).toEqual(files.refs);
    expect(files.reads.size).toBe(0); // intake never reads a file
    expect(generateCalls(vendor.requests)).toEqual([]);
    // Sealed with the job, and opened again whole by a worker: descriptions only, never bytes.
    const data = sealJob(hive.sealer, queued!);
    expect(JSON.stringify(data)).not.toContain('chart.png');
    expect(openJob(hive.sealer, queued!.id, data).attachments).toEqual(files.refs);
    const replies: Reply[] = [];
    await hive.answerJobs(new Map([['test', answererWith(files.read, replies)]]), 'w1')(queued!, { stalled: 0 });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.footer).toContain('2 files, 3 pages');
    const [call] = generateCalls(vendor.requests);
    expect(call!.files.map((f) => f.sha256)).toEqual([sha256(png), sha256(pdf)]);
  });
});
