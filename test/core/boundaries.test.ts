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
    const offenders = [...tsFiles('src'), ...tsFiles('adapters'), ...tsFiles('commands')].filter((f) => /:\s*any\b|as any\b|<any>/.test(fs.readFileSync(path.join(root, f), 'utf8')));
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

  it('GIVEN the source THEN there is no import circle', () => {
    const files = [...tsFiles('src'), ...tsFiles('adapters'), ...tsFiles('commands')];
    expect(importCycles(files)).toEqual([]);
  });
});

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
