import type { JobDelivery } from '../../../src/chat/answerer.ts';

/**
 * The messages one job created, by part (`f1`: its first follow-up, `c0`: its first message in a
 * channel), recorded in the outbox as each appears: a resumed run edits those instead of posting
 * them again. Intake, which never resumes, keeps no record.
 */
export interface PostLog {
  /** Creates a part once: a part an earlier run recorded is edited to the same content instead. */
  put(part: string, create: () => Promise<string>, edit: (id: string) => Promise<unknown>): Promise<string>;
}

/** A post log over a job's delivery record (`part=id,part=id`); without one, every part is created. */
export function createPostLog(delivery?: Pick<JobDelivery, 'ref' | 'posted'>): PostLog {
  const known = new Map(parseRef(delivery?.ref));
  return {
    async put(part, create, edit) {
      const id = known.get(part);
      if (id !== undefined) {
        await edit(id);
        return id;
      }
      const made = await create();
      known.set(part, made);
      await delivery?.posted([...known].map(([k, v]) => `${k}=${v}`).join(','));
      return made;
    },
  };
}

function parseRef(ref: string | undefined): [string, string][] {
  if (!ref) return [];
  return ref.split(',').flatMap((entry) => {
    const [part, id] = entry.split('=');
    return part && id && /^\d+$/.test(id) ? [[part, id] as [string, string]] : [];
  });
}
