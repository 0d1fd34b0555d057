import { createSecretRegistry } from '../src/shared/secrets.ts';
import { seededRandom } from '../test/helpers/seeded-random.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const KEY_COUNTS = [0, 100, 1_000, 5_000];
const LINES = 2_000;
const ROUNDS = 5;
/** The goal: scrubbing cost does not grow with the keys registered (5,000 within this factor of 100). */
const FLAT_RATIO = 2;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Seeded keys of the usual shapes and length, spread over workspaces (ten keys each). */
function keys(n: number, random: () => number): { key: string; ws: string }[] {
  const body = () => Array.from({ length: 40 }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
  const prefix = ['sk-proj-', 'sk-ant-api03-', 'AIza', ''];
  return Array.from({ length: n }, (_, i) => ({ key: `${prefix[i % prefix.length]}${body()}`, ws: `slack:T${Math.floor(i / 10)}` }));
}

/** JSON log lines as the bot writes them (about 300 characters, ids, a sentence), one in 50 carrying a piece of a key. */
function logLines(known: readonly { key: string }[], random: () => number): string[] {
  return Array.from({ length: LINES }, (_, i) => {
    const id = Array.from({ length: 26 }, () => ALPHABET[Math.floor(random() * 36)]).join('');
    const leak = i % 50 === 0 && known.length > 0 ? ` vendor said ${known[i % known.length]!.key.slice(3, 30)}` : '';
    return JSON.stringify({
      level: 30,
      time: 1_790_000_000_000 + i,
      pid: 4242,
      hostname: 'hive-worker-3',
      workspaceId: `slack:T${i % 97}`,
      evidenceId: id,
      vendor: 'openai',
      model: 'gpt-6-luna',
      latencyMs: 800 + (i % 400),
      msg: `answer posted in 2 parts after a retry (overloaded), 1,204 output tokens${leak}`,
    });
  });
}

/** How secrets were scrubbed before: each known secret whole, by `includes`, then the key shapes. */
function wholeOnly(secrets: readonly string[]): (text: string) => string {
  const shapes = [/sk-ant-[A-Za-z0-9_-]{8,}/g, /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, /AIza[0-9A-Za-z_-]{20,}/g, /xox[abposr]-[0-9A-Za-z-]{8,}/g];
  return (text) => {
    let out = text;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('••••');
    for (const p of shapes) out = out.replace(p, '••••');
    return out;
  };
}

/** The obvious way to find pieces: every 8-character window of every secret tested against the text. */
function everyWindow(secrets: readonly string[]): (text: string) => boolean {
  const windows = secrets.flatMap((s) => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8)));
  return (text) => windows.some((w) => text.includes(w));
}

/** Median microseconds per line of `f` over `lines`, after a warm-up pass. */
function perLine(lines: readonly string[], f: (line: string) => unknown): number {
  for (const l of lines) f(l);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (const l of lines) f(l);
    rounds.push(((performance.now() - t0) * 1000) / lines.length);
  }
  return median(rounds);
}

/**
 * What scrubbing one log line costs as registered keys grow: the scrub before (whole keys only),
 * the registry now (whole, pieces of 8+, base64 and hex; every secret, as logs use it, and one
 * workspace's view, as replies use it), and the per-window search the index replaces.
 */
export async function benchScrub(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const now = new Map<number, number>();
  const before = new Map<number, number>();
  for (const n of KEY_COUNTS) {
    const random = seededRandom(n + 1);
    const known = keys(n, random);
    const lines = logLines(known, random);
    const registry = createSecretRegistry();
    for (const k of known) registry.add(k.key, k.ws);
    const own = registry.forWorkspace('slack:T0');
    before.set(n, perLine(lines, wholeOnly(known.map((k) => k.key))));
    now.set(
      n,
      perLine(lines, (l) => registry.scrub(l)),
    );
    rows.push({
      'registered keys': n,
      'before: whole only (µs/line)': before.get(n)!.toFixed(1),
      'now: all secrets, logs (µs/line)': now.get(n)!.toFixed(1),
      'now: one workspace (µs/line)': perLine(lines, (l) => own.scrub(l)).toFixed(1),
      'every 8-char window (µs/line)': perLine(lines.slice(0, n >= 1_000 ? 50 : LINES), everyWindow(known.map((k) => k.key))).toFixed(1),
    });
  }
  const [few, most] = [now.get(100)!, now.get(5_000)!];
  return {
    name: 'scrub',
    rows,
    verdicts: [
      `goal: scrubbing a log line costs no more with 5,000 keys than ${FLAT_RATIO}× with 100 — ${most <= FLAT_RATIO * few ? 'met' : 'missed'} (${most.toFixed(1)} vs ${few.toFixed(1)} µs)`,
      `the whole-key scrub it replaces took ${before.get(5_000)!.toFixed(1)} µs a line at 5,000 keys (${(before.get(5_000)! / most).toFixed(1)}× now), finding no pieces or encodings`,
    ],
  };
}
