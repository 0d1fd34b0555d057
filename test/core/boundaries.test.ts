import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

describe('architecture boundaries', () => {
  it('GIVEN the core THEN only the composition root (src/app/hive.ts, src/app/main.ts) imports adapters/ or commands/', () => {
    const composition = [path.join('src', 'app', 'hive.ts'), path.join('src', 'app', 'main.ts')];
    const offenders = tsFiles('src')
      .filter((f) => !composition.includes(f))
      .filter((f) => /from ['"](?:\.\.\/)+(?:adapters|commands)\//.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('GIVEN commands THEN they never import adapters', () => {
    const offenders = tsFiles('commands').filter((f) => /from ['"](?:\.\.\/)+adapters\//.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('GIVEN the source THEN no file uses `any`', () => {
    const offenders = [...tsFiles('src'), ...tsFiles('adapters'), ...tsFiles('commands')].filter((f) =>
      /:\s*any\b|as any\b|<any>/.test(fs.readFileSync(path.join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN every source file THEN none imports the entry point, and chat adapters never import each other', () => {
    const files = [...tsFiles('src'), ...tsFiles('adapters'), ...tsFiles('commands')];
    const entry = files.filter((f) => f !== path.join('src', 'app', 'main.ts') && importsOf(f).includes(path.join('src', 'app', 'main.ts')));
    expect(entry).toEqual([]);
    const platformOf = (f: string) => /^adapters\/chat\/([^/]+)\//.exec(f.split(path.sep).join('/'))?.[1];
    const crossing = files.filter((f) => platformOf(f) && importsOf(f).some((t) => platformOf(t) && platformOf(t) !== platformOf(f)));
    expect(crossing).toEqual([]);
  });

  it('GIVEN every source file THEN only the entry points (src/app/, adapters/cli/) import the composition root or the config', () => {
    const files = [...tsFiles('src'), ...tsFiles('adapters'), ...tsFiles('commands')];
    const app = (f: string) => f.split(path.sep).join('/').startsWith('src/app/');
    const entry = (f: string) => app(f) || f.split(path.sep).join('/').startsWith('adapters/cli/');
    expect(files.filter((f) => !entry(f) && importsOf(f).some(app))).toEqual([]);
  });

  it('GIVEN a chat adapter THEN it imports of the core only src/chat/ and the core types it needs, never another platform', () => {
    expect(chatAdapterOffences(chatAdapterFiles('adapters/chat'))).toEqual([]);
    // The fourth platform the contract suite proves a new platform with is held to the same rules.
    expect(chatAdapterOffences(chatAdapterFiles('test/adapters/chat'))).toEqual([]);
  });

  it('GIVEN the core THEN each folder imports only its own and the folders below it, and every folder has a place', () => {
    const folders = fs.readdirSync(path.join(root, 'src')).filter((f) => fs.statSync(path.join(root, 'src', f)).isDirectory());
    expect(folders.filter((f) => !CORE_ORDER.some((g) => g.includes(f)))).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'src')).filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(tsFiles('src').flatMap(climbingImports)).toEqual([]);
  });

  it('GIVEN the provider spec THEN it imports nothing, so a vendor adapter can be written from it alone', () => {
    expect(importsOf(path.join('src', 'shared', 'provider-spec.ts'))).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'src', 'shared', 'provider-spec.ts'), 'utf8')).not.toMatch(/^import /m);
  });

  it('GIVEN an import that climbs the order THEN the check names the rule it breaks', () => {
    expect(layerBreach('src/money/budget.ts', 'src/routing/execution.ts')).toBe(
      'src/money/budget.ts -> src/routing/execution.ts: money (layer 7 of 13) may import only from layers below it, not routing (layer 6)',
    );
    expect(layerBreach('src/routing/executor.ts', 'src/money/budget.ts')).toBeUndefined();
    expect(layerBreach('src/digest/capture.ts', 'src/consensus/render.ts')).toMatch(/digest .* not consensus \(layer 3\)/);
  });

  it('GIVEN the source THEN there is no import circle', () => {
    const files = [...tsFiles('src'), ...tsFiles('adapters'), ...tsFiles('commands')];
    expect(importCycles(files)).toEqual([]);
  });
});

/**
 * The core's folders from the top (the composition root) down to the shared vocabulary; folders on
 * one line are peers and import neither each other nor anything above. README's Architecture says why.
 */
const CORE_ORDER: readonly (readonly string[])[] = [
  ['app'],
  ['command'],
  ['consensus', 'digest'],
  ['jobs'],
  ['chat'],
  ['routing'],
  ['money'],
  ['settings'],
  ['pacing'],
  ['keys', 'evidence', 'files'],
  ['models'],
  ['store'],
  ['shared'],
];

const layerOf = (folder: string) => CORE_ORDER.findIndex((g) => g.includes(folder));
const coreFolder = (file: string) => file.split(path.sep).join('/').split('/')[1] ?? '';

/** Why an import from `file` to `target` breaks the order, or undefined when it keeps it. */
export function layerBreach(file: string, target: string): string | undefined {
  const posix = (f: string) => f.split(path.sep).join('/');
  if (!posix(target).startsWith('src/')) return undefined;
  const [from, to] = [coreFolder(file), coreFolder(target)];
  const [a, b] = [layerOf(from), layerOf(to)];
  if (from === to || b > a) return undefined;
  return `${posix(file)} -> ${posix(target)}: ${from} (layer ${a + 1} of ${CORE_ORDER.length}) may import only from layers below it, not ${to} (layer ${b + 1})`;
}

function climbingImports(file: string): string[] {
  return importsOf(file).flatMap((t) => layerBreach(file, t) ?? []);
}

/** Core files a chat adapter may import besides src/chat/: errors, clock, log, types, env fields, and these. */
const CORE_TYPES_FOR_CHAT = [
  'src/keys/crypto.ts', // the Sealer for secrets at rest
  'src/keys/key-service.ts', // key statuses and the local workspace id
  'src/shared/secrets.ts', // the secret registry type
  'src/store/atomic.ts', // delivery claims
  'src/shared/ids.ts', // error ids shown to users
  'src/models/vendor-info.ts', // vendor labels and key URLs for forms
  'src/keys/env-key-vars.ts', // the variables that give the terminal's workspace its keys
];

/** Files of chat platforms under a folder: `<dir>/<platform>/**` (the registry beside them is composition, not a platform). */
export function chatAdapterFiles(dir: string): string[] {
  return tsFiles(dir).filter((f) => path.relative(dir, f).includes(path.sep));
}

/** Imports of chat adapter files that reach past src/chat/ and the core types, or into another platform. */
export function chatAdapterOffences(files: string[]): string[] {
  const posix = (f: string) => f.split(path.sep).join('/');
  const platformOf = (f: string) => /adapters\/chat\/([^/]+)\//.exec(posix(f))?.[1];
  const allowed = (t: string) => {
    const p = posix(t);
    if (!p.startsWith('src/')) return !p.includes('adapters/') || platformOf(t) === undefined;
    return p.startsWith('src/chat/') || p.startsWith('src/shared/') || CORE_TYPES_FOR_CHAT.includes(p);
  };
  return files.flatMap((f) =>
    importsOf(f)
      .filter((t) => (platformOf(t) ? platformOf(t) !== platformOf(f) : !allowed(t)))
      .map((t) => `${posix(f)} -> ${posix(t)}`),
  );
}

/** Relative imports of a file (static, dynamic and type-only), as repo paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => path.normalize(path.join(path.dirname(file), m[1]!)));
}

/** Strongly connected groups of more than one file in the import graph (Tarjan). */
function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) group.push(w);
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}
