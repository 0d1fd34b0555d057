import { describe, expect, it } from 'vitest';
import { JOB_ADDRESS_REFUSED, JobAddressError, type AddressedJob, type EncodedAddress, type JobAddressCodec } from '../../src/chat/address-codec.ts';
import type { JobAddress } from '../../src/chat/queued-job.ts';

/** A platform's reply address codec under test, with addresses as its intake builds them. */
export interface JobAddressContractOptions<A> {
  codec: JobAddressCodec<A>;
  /** One address of each kind intake builds (a slash command's, a thread's). */
  samples: readonly A[];
  /** The values in a sample that no refusal may show (response URLs, interaction tokens). */
  secretsOf(a: A): string[];
  /** Other platforms' addresses as their codecs encode them: this codec refuses every one. */
  foreign: readonly EncodedAddress[];
}

const JOB_ID = 'contract:job:7';

/** Through JSON, as the queue carries it. */
const queued = (e: { address: unknown; addressFormat?: unknown }): AddressedJob => JSON.parse(JSON.stringify({ id: JOB_ID, ...e })) as AddressedJob;

/** Each field of an address given a value of another type; a string field gets an object holding `secret`. */
function mistyped(address: JobAddress, secret: string): JobAddress[] {
  return Object.entries(address).map(([k, v]) => ({ ...address, [k]: typeof v === 'string' ? { leaked: secret } : typeof v === 'object' ? secret : [secret] }));
}

/**
 * The suite every platform's reply address codec passes: what intake encodes a worker decodes to the
 * same address; anything else (malformed, another platform's, another version's) is refused with a
 * not-retryable `JobAddressError` naming the job and the fault, and never the address's secrets.
 */
export function runJobAddressContract<A>(o: JobAddressContractOptions<A>): void {
  const { codec } = o;
  const secrets = o.samples.flatMap((a) => o.secretsOf(a));
  const refusal = (job: AddressedJob): JobAddressError => {
    let caught: unknown;
    try {
      codec.decode(job);
    } catch (err) {
      caught = err;
    }
    expect(caught, `decoding ${JSON.stringify(job.addressFormat)} should refuse`).toBeInstanceOf(JobAddressError);
    const e = caught as JobAddressError;
    expect(e).toMatchObject({ code: JOB_ADDRESS_REFUSED, retryable: false, jobId: JOB_ID });
    expect(e.message).toContain(JOB_ID);
    const shown = [e.message, String(e), JSON.stringify(e), String(e.cause)].join('\n');
    for (const s of secrets) expect(shown).not.toContain(s);
    return e;
  };

  describe(`job address codec contract: ${codec.platform}`, () => {
    it('GIVEN an address intake built THEN it is tagged with its platform and version, and a worker reads back the same address', () => {
      expect(o.samples.length).toBeGreaterThan(0);
      for (const sample of o.samples) {
        const e = codec.encode(sample);
        expect(e.addressFormat).toEqual({ platform: codec.platform, v: codec.version });
        expect(codec.decode(queued(e))).toEqual(sample);
      }
    });

    it('GIVEN a malformed address THEN it is refused, naming the job and the field, never a value', () => {
      for (const bad of [null, 'x', [], {}, 42]) expect(refusal(queued({ ...codec.encode(o.samples[0]!), address: bad })).message).toMatch(/malformed/);
      for (const sample of o.samples) {
        const e = codec.encode(sample);
        for (const [i, address] of mistyped(e.address, o.secretsOf(sample)[0] ?? 'no-secret').entries()) {
          const field = Object.keys(e.address)[i]!;
          expect(refusal(queued({ ...e, address })).message).toContain(field);
        }
      }
    });

    it("GIVEN another platform's address THEN it is refused, whether tagged as that platform's or mislabelled as this one's", () => {
      expect(o.foreign.length).toBeGreaterThan(0);
      for (const f of o.foreign) {
        const message = refusal(queued(f)).message;
        expect(message).toContain(f.addressFormat.platform);
        expect(message).toContain(codec.platform);
        expect(refusal(queued({ ...f, addressFormat: { platform: codec.platform, v: codec.version } })).message).toMatch(/malformed/);
      }
    });

    it('GIVEN an address an older intake wrote (no version) or another version THEN it is refused, naming the version', () => {
      const { address, addressFormat } = codec.encode(o.samples[0]!);
      expect(refusal(queued({ address })).message).toMatch(/no version/);
      for (const v of [codec.version - 1, codec.version + 1])
        expect(refusal(queued({ address, addressFormat: { ...addressFormat, v } })).message).toContain(`version ${v}`);
      expect(refusal(queued({ address, addressFormat: { platform: 'Not A Name ' + (o.secretsOf(o.samples[0]!)[0] ?? ''), v: 1 } })).message).toMatch(
        /unreadable/,
      );
    });

    it('GIVEN an address holding secrets THEN no refusal of it, for any fault, shows one', () => {
      expect(secrets.length).toBeGreaterThan(0);
      for (const sample of o.samples) {
        const { address, addressFormat } = codec.encode(sample);
        refusal(queued({ address }));
        refusal(queued({ address, addressFormat: { ...addressFormat, v: addressFormat.v + 1 } }));
        refusal(queued({ address, addressFormat: { ...addressFormat, platform: 'elsewhere' } }));
        for (const s of o.secretsOf(sample)) for (const bad of mistyped(address, s)) refusal(queued({ address: bad, addressFormat }));
      }
    });
  });
}
