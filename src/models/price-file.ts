import fs from 'node:fs';
import { modelEntrySchema, type ModelInfo } from './price-schema.ts';
import { MODELS } from './prices.ts';

const VAR = 'HIVE_PRICES_FILE';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `prices.0.input` → `prices[0].input`, the way an operator reads their own JSON. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('') || '(entry)';
}

/**
 * Largest price file read: 1 MiB. The whole built-in table is about 20 KB as JSON, so an operator's
 * additions fit many times over; a bigger file (or a device like /dev/zero) is a wrong path, and
 * reading it whole would stall start-up and exhaust memory.
 */
export const PRICE_FILE_LIMIT_BYTES = 1024 * 1024;

const LIMIT_TEXT = '1 MiB';

/** The file's text, read only if it is a regular file within the limit; otherwise a problem naming both. */
function readText(file: string, problems: string[]): string | undefined {
  let fd: number | undefined;
  try {
    // Stat before opening: opening a FIFO would wait for a writer.
    if (!fs.statSync(file).isFile()) {
      problems.push(`${VAR}: ${file} is not a regular file; point it at a JSON price file of at most ${LIMIT_TEXT}`);
      return undefined;
    }
    fd = fs.openSync(file, 'r');
    // One byte past the limit, whatever size the file claims (files under /proc claim 0).
    const bytes = readAtMost(fd, PRICE_FILE_LIMIT_BYTES + 1);
    if (bytes.length > PRICE_FILE_LIMIT_BYTES) {
      problems.push(`${VAR}: ${file} is larger than ${LIMIT_TEXT}, the limit for a price file (a price table is a few KB)`);
      return undefined;
    }
    return bytes.toString('utf8');
  } catch (e) {
    problems.push(`${VAR}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Up to `max` bytes from the start of an open file (fewer at its end). */
function readAtMost(fd: number, max: number): Buffer {
  const buf = Buffer.alloc(max);
  let n = 0;
  while (n < max) {
    const got = fs.readSync(fd, buf, n, max - n, null);
    if (got === 0) break;
    n += got;
  }
  return buf.subarray(0, n);
}

function readJson(file: string, problems: string[]): unknown {
  const text = readText(file, problems);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    problems.push(`${VAR}: ${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  }
}

/** One operator entry merged over the built-in row it names (fields it gives replace the row's; `prices` replaces the list). */
function mergeEntry(raw: unknown, i: number, base: readonly ModelInfo[], problems: string[]): ModelInfo | undefined {
  const entry = isRecord(raw) ? raw : {};
  const name = `models[${i}] (${String(entry['vendor'] ?? '?')}:${String(entry['id'] ?? '?')})`;
  if (!isRecord(raw)) {
    problems.push(`${VAR}: ${name}: must be an object with vendor, id and the fields to add or correct`);
    return undefined;
  }
  const known = base.find((m) => m.vendor === entry['vendor'] && m.id === entry['id']);
  const merged = known ? { ...known, ...entry } : { label: entry['id'], ...entry };
  const r = modelEntrySchema.safeParse(merged);
  if (r.success) return r.data;
  for (const issue of r.error.issues) problems.push(`${VAR}: ${name}: ${fieldPath(issue.path)}: ${issue.message}`);
  return undefined;
}

/**
 * Reads the operator's price file (`{"models": [...]}`) and merges it over the built-in table: an
 * entry for a known vendor:id corrects it, any other entry adds a model. Every problem is pushed,
 * naming the entry and the field, so start-up reports them all at once; undefined when any exists.
 */
export function loadPriceFile(file: string, problems: string[], base: readonly ModelInfo[] = MODELS): readonly ModelInfo[] | undefined {
  const before = problems.length;
  const json = readJson(file, problems);
  if (problems.length > before) return undefined;
  const list = isRecord(json) ? json['models'] : undefined;
  if (!Array.isArray(list)) {
    problems.push(`${VAR}: ${file} must hold {"models": [ … ]}, a list of model entries`);
    return undefined;
  }
  const entries = list.map((raw, i) => mergeEntry(raw, i, base, problems));
  if (problems.length > before) return undefined;
  const table = [...base];
  for (const e of entries as ModelInfo[]) {
    const at = table.findIndex((m) => m.vendor === e.vendor && m.id === e.id);
    if (at >= 0) table[at] = e;
    else table.push(e);
  }
  return claimsAreUnique(table, problems) ? table : undefined;
}

function claimsAreUnique(table: readonly ModelInfo[], problems: string[]): boolean {
  const owner = new Map<string, string>();
  let ok = true;
  for (const m of table) {
    for (const n of [m.id, ...m.aliases]) {
      const key = `${m.vendor}:${n.toLowerCase()}`;
      const other = owner.get(key);
      if (other && other !== m.id) {
        problems.push(`${VAR}: ${m.vendor}:${m.id}: aliases: "${n}" already names ${m.vendor}:${other}`);
        ok = false;
      }
      owner.set(key, m.id);
    }
  }
  return ok;
}
