import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

describe('architecture boundaries', () => {
  it('GIVEN the core THEN only src/main.ts imports adapters/ or commands/', () => {
    const offenders = tsFiles('src')
      .filter((f) => f !== path.join('src', 'main.ts'))
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
});
