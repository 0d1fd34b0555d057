import { z } from 'zod';
import { HiveError } from '../shared/errors.ts';
import type { AddressFormat, JobAddress, QueuedJob } from './queued-job.ts';

/** The code of every refused reply address: the job can never be answered there, so no retry can help. */
export const JOB_ADDRESS_REFUSED = 'job_address_refused';

/** What reading a job's address needs: the id names the job when its address is refused. */
export type AddressedJob = Pick<QueuedJob, 'id' | 'address' | 'addressFormat'>;

/** A reply address as intake puts it on the queue: the platform's fields, and which codec wrote them. */
export interface EncodedAddress {
  address: JobAddress;
  addressFormat: AddressFormat;
}

/**
 * A platform's reply address across the queue: intake encodes it, a worker decodes it checked, so an
 * address the worker cannot read is refused before anything is posted instead of cast and half-answered.
 */
export interface JobAddressCodec<A> {
  readonly platform: string;
  /** The version of the address's shape: bumped when a field is added, dropped or changes meaning. */
  readonly version: number;
  encode(address: A): EncodedAddress;
  /** The job's address, checked: a `JobAddressError` when it is malformed, another platform's or another version's. */
  decode(job: AddressedJob): A;
}

/** A refused reply address: names the job and the fault, never the address's values (URLs, tokens). */
export class JobAddressError extends HiveError {
  readonly jobId: string;
  constructor(jobId: string, fault: string) {
    super(JOB_ADDRESS_REFUSED, `queued job ${jobId} cannot be answered: ${fault}`, { retryable: false });
    this.name = 'JobAddressError';
    this.jobId = jobId;
  }
}

export interface JobAddressCodecOptions<A> {
  /** The platform's registry name (`slack`), as jobs carry it. */
  platform: string;
  version: number;
  /** The address's fields and the rules between them; its output is the platform's address type. */
  schema: z.ZodType<A>;
}

/** What a format tag may hold: a registry name and a whole version, so a refusal can quote it safely. */
const formatShape = z.object({ platform: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), v: z.number().int() });

/** How many of a malformed address's faults a refusal lists. */
const MAX_FAULTS = 4;

/** A platform's address codec over its schema: one place decides what a worker refuses, and says why. */
export function createJobAddressCodec<A extends object>(o: JobAddressCodecOptions<A>): JobAddressCodec<A> {
  return {
    platform: o.platform,
    version: o.version,
    encode: (address) => ({ address: plainFields(address), addressFormat: { platform: o.platform, v: o.version } }),
    decode(job) {
      const fault = formatFault(o, job.addressFormat);
      if (fault) throw new JobAddressError(job.id, fault);
      const parsed = o.schema.safeParse(job.address);
      if (!parsed.success) throw new JobAddressError(job.id, `its ${o.platform} reply address is malformed (${faultsOf(parsed.error.issues)})`);
      return parsed.data;
    },
  };
}

/** The address's own fields as a plain record: what the queue carries as JSON. */
function plainFields(address: object): JobAddress {
  return Object.fromEntries(Object.entries(address));
}

/** Why a job's format tag is not this codec's, or undefined when it is. */
function formatFault(o: Pick<JobAddressCodecOptions<unknown>, 'platform' | 'version'>, format: unknown): string | undefined {
  if (format === undefined) return `its reply address carries no version (an older Hive queued it); this worker reads ${o.platform} version ${o.version}`;
  const f = formatShape.safeParse(format);
  if (!f.success) return 'its reply address version is unreadable';
  if (f.data.platform !== o.platform) return `its reply address is ${f.data.platform}'s, not ${o.platform}'s`;
  if (f.data.v !== o.version) return `its ${o.platform} reply address is version ${f.data.v}; this worker reads version ${o.version}`;
  return undefined;
}

/** Each fault as its field and what was wrong, never the value found there. */
function faultsOf(issues: readonly z.core.$ZodIssue[]): string {
  const named = issues.slice(0, MAX_FAULTS).map((i) => `${i.path.map(String).join('.') || 'address'}: ${what(i)}`);
  return issues.length > MAX_FAULTS ? [...named, `${issues.length - MAX_FAULTS} more`].join('; ') : named.join('; ');
}

function what(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type') return `expected ${i.expected}`;
  // A schema's own rule says what it wants in its message; zod's other messages are left out in case one quotes a value.
  if (i.code === 'custom') return i.message;
  return i.code.replaceAll('_', ' ');
}
