import { describe, expect, it } from 'vitest';
import { readFiles } from '../../src/files/read-files.ts';
import type { FileLimits } from '../../src/files/prepared-file.ts';
import { AttachmentReadError } from '../../src/shared/attachment.ts';
import { UserError } from '../../src/shared/errors.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { fakeSecret, PASTED_KEY } from '../helpers/fake-secret.ts';
import { pdf, png, utf8 } from './file-bytes.ts';
import { fakeHost, ref } from './file-reader.ts';

const MB = 1024 * 1024;
const limits: FileLimits = { maxFileBytes: 20 * MB, maxJobBytes: 50 * MB, maxFiles: 10 };

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('readFiles: limits', () => {
  it('GIVEN a file the platform says is over the per-file limit THEN it is refused with the limit before anything is downloaded', async () => {
    const host = fakeHost({ 'ok.png': png(1, 1) });
    const err = await refusal(readFiles([ref('ok.png', { size: 70 }), ref('dump.log', { size: 25 * MB })], host.read, limits));
    expect(err.message).toContain('• dump.log: it is 25 MB, over the 20 MB limit for one file.');
    expect(err.message).not.toContain('ok.png');
    expect(host.reads).toEqual([]);
  });

  it('GIVEN files whose declared sizes together pass the job limit THEN the request is refused before any download', async () => {
    const host = fakeHost({});
    const refs = ['a', 'b', 'c'].map((id) => ref(id, { size: 18 * MB }));
    const err = await refusal(readFiles(refs, host.read, limits));
    expect(err.message).toContain('Together the files are 54 MB, over the 50 MB limit for one request.');
    expect(host.reads).toEqual([]);
  });

  it('GIVEN more files than a job reads THEN the request is refused before any download', async () => {
    const host = fakeHost({});
    const err = await refusal(
      readFiles(
        ['1', '2', '3'].map((id) => ref(id)),
        host.read,
        { ...limits, maxFiles: 2 },
      ),
    );
    expect(err.message).toContain('3 files were shared; Hive reads at most 2 for one request.');
    expect(host.reads).toEqual([]);
  });

  it('GIVEN a file larger than it was said to be THEN the read stops at the per-file limit and names it', async () => {
    const small = { ...limits, maxFileBytes: 1000 };
    const host = fakeHost({ 'big.log': utf8('x'.repeat(1001)) });
    const err = await refusal(readFiles([ref('big.log', { size: 10 })], host.read, small));
    expect(host.reads[0]!.options.maxBytes).toBe(1000);
    expect(err.message).toContain('big.log: it is larger than the 1000 bytes limit for one file.');
  });

  it('GIVEN files that together pass the job limit as they are read THEN each read may take only what is left', async () => {
    const tight = { maxFileBytes: 1000, maxJobBytes: 1500, maxFiles: 10 };
    const host = fakeHost({ a: utf8('a'.repeat(900)), b: utf8('b'.repeat(900)), c: utf8('c') });
    const err = await refusal(readFiles([ref('a'), ref('b'), ref('c')], host.read, tight));
    expect(host.reads.map((r) => r.options.maxBytes)).toEqual([1000, 600, 600]);
    expect(err.message).toContain('• b: it is larger than the 1 KB limit for all the files of one request.');
    expect(err.message).not.toMatch(/• [ac]:/);
  });

  it('GIVEN a reader that ignores maxBytes THEN the bytes are still refused', async () => {
    const err = await refusal(readFiles([ref('x')], async () => utf8('y'.repeat(50)), { ...limits, maxFileBytes: 10 }));
    expect(err.message).toContain('x: it is larger than the 10 bytes limit for one file.');
  });
});

describe('readFiles: downloads that fail', () => {
  it('GIVEN downloads that fail THEN one refusal names every file, with the platform’s reason, and the good ones are still read', async () => {
    const host = fakeHost({
      gone: new AttachmentReadError('not_found', 'gone', 'file_not_found'),
      secret: new AttachmentReadError('forbidden', 'secret', 'HTTP 403'),
      flaky: new AttachmentReadError('download_failed', 'flaky', 'HTTP 502'),
      'ok.png': png(1, 1),
    });
    const err = await refusal(readFiles([ref('gone'), ref('ok.png'), ref('secret'), ref('flaky')], host.read, limits));
    expect(err.code).toBe('file_refused');
    expect(err.message.split('\n').slice(1)).toEqual([
      '• gone: it could not be found (file_not_found); it may have been deleted. Share it again.',
      '• secret: Hive is not allowed to read it (HTTP 403). Share it where Hive is a member, or share it again.',
      '• flaky: the download failed (HTTP 502). Try again in a moment.',
    ]);
    expect(host.reads.map((r) => r.id)).toEqual(['gone', 'ok.png', 'secret', 'flaky']);
  });

  it('GIVEN a reader that throws something else THEN the file is named as not downloaded', async () => {
    const err = await refusal(readFiles([ref('x')], () => Promise.reject(new Error('socket hang up')), limits));
    expect(err.message).toContain('• x: the download failed. Try again in a moment.');
    expect(err.message).not.toContain('socket');
  });

  it('GIVEN the job is cancelled THEN the cancellation comes out, not a refusal', async () => {
    const stop = new AbortController();
    const read = async () => {
      stop.abort(new Error('cancelled'));
      throw new AttachmentReadError('download_failed', 'x');
    };
    await expect(readFiles([ref('x'), ref('y')], read, limits, { signal: stop.signal })).rejects.toThrow('cancelled');
  });
});

describe('readFiles: a key inside a file', () => {
  it('GIVEN a log with a pasted vendor key THEN it is refused as a pasted key is', async () => {
    const host = fakeHost({ 'env.log': utf8(`starting\nOPENAI_API_KEY=${PASTED_KEY}\n`) });
    const err = await refusal(readFiles([ref('env.log')], host.read, limits));
    expect(err.code).toBe('secret_in_file');
    expect(err.message).toContain('• env.log: it contains what looks like an API key or token, so it was not sent to any model or stored.');
    expect(err.message).not.toContain(PASTED_KEY);
  });

  it('GIVEN a PDF whose text holds a key THEN it is refused', async () => {
    const key = fakeSecret('sk-ant-', 'api03-canaryINPDF0123456789abcdef');
    const err = await refusal(readFiles([ref('spec.pdf')], fakeHost({ 'spec.pdf': await pdf(2, key) }).read, limits));
    expect(err.code).toBe('secret_in_file');
    expect(err.message).toContain('spec.pdf: it contains what looks like an API key or token');
  });

  it('GIVEN the workspace’s own registered token in a file THEN it is refused through the workspace’s scrubber', async () => {
    const registry = createSecretRegistry();
    const token = 'hive-internal-token-0123456789abcdef';
    registry.add(token, 'T1');
    const host = fakeHost({ 'cfg.txt': utf8(`token: ${token}\n`) });
    await expect(readFiles([ref('cfg.txt')], host.read, limits)).resolves.toHaveLength(1);
    const err = await refusal(readFiles([ref('cfg.txt')], host.read, limits, { secrets: registry.forWorkspace('T1') }));
    expect(err.code).toBe('secret_in_file');
  });
});
