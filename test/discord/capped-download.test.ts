import { describe, expect, it } from 'vitest';
import { readCapped } from '../../src/chat/capped-download.ts';
import { AttachmentReadError } from '../../src/shared/attachment.ts';

/** A response whose body sends `chunks` (Node Buffers, as a socket gives them), then fails if `breakOff`. */
function streamed(chunks: Uint8Array[], o: { breakOff?: boolean } = {}): { res: Response; cancelled: () => boolean } {
  let cancelled = false;
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at < chunks.length) c.enqueue(chunks[at++]!);
      else if (o.breakOff) c.error(new Error('socket hang up'));
      else c.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { res: new Response(body), cancelled: () => cancelled };
}

async function failure(p: Promise<unknown>): Promise<AttachmentReadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttachmentReadError);
  return err as AttachmentReadError;
}

describe('readCapped', () => {
  it('GIVEN a body in Buffer chunks THEN it is joined into one plain Uint8Array (PDF.js refuses a Buffer)', async () => {
    const { res } = streamed([Buffer.from('%PDF-'), Buffer.from('1.7\n')]);
    const bytes = await readCapped(res, 'spec.pdf', 100);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(new TextDecoder().decode(bytes)).toBe('%PDF-1.7\n');
  });

  it('GIVEN a body exactly at the cap THEN it is read whole', async () => {
    const { res } = streamed([new Uint8Array(6), new Uint8Array(4)]);
    expect((await readCapped(res, 'a.bin', 10)).byteLength).toBe(10);
  });

  it('GIVEN a body that passes the cap THEN too_large, and the rest is not read', async () => {
    const { res, cancelled } = streamed([new Uint8Array(6), new Uint8Array(6), new Uint8Array(6)]);
    const err = await failure(readCapped(res, 'big.log', 10));
    expect([err.code, err.fileName, err.retryable]).toEqual(['too_large', 'big.log', false]);
    expect(cancelled()).toBe(true);
  });

  it('GIVEN a body that breaks off part-way THEN a retryable download_failed, the cause not quoted', async () => {
    const { res } = streamed([new Uint8Array(3)], { breakOff: true });
    const err = await failure(readCapped(res, 'trace.log', 100));
    expect([err.code, err.retryable]).toEqual(['download_failed', true]);
    expect(err.message).not.toContain('socket');
  });

  it('GIVEN no body THEN no bytes', async () => {
    expect((await readCapped(new Response(null), 'empty.txt', 10)).byteLength).toBe(0);
  });
});
