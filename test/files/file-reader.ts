import { AttachmentReadError, type AttachmentReader, type AttachmentReadOptions, type AttachmentRef } from '../../src/shared/attachment.ts';

/** A platform's file host in memory: serves bytes by id, honours `maxBytes`, and records each read. */
export function fakeHost(files: Record<string, Uint8Array | AttachmentReadError>) {
  const reads: { id: string; options: AttachmentReadOptions }[] = [];
  const read: AttachmentReader = async (ref, options) => {
    reads.push({ id: ref.id, options });
    const found = files[ref.id];
    if (found === undefined) throw new AttachmentReadError('not_found', ref.name);
    if (found instanceof AttachmentReadError) throw found;
    if (found.byteLength > options.maxBytes) throw new AttachmentReadError('too_large', ref.name);
    return found;
  };
  return { read, reads };
}

/** A reference to a file the fake host serves, named as shared. */
export const ref = (id: string, extra: Partial<AttachmentRef> = {}): AttachmentRef => ({ id, name: id, ...extra });
