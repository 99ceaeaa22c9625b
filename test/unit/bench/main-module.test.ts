import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isMainModule } from '../../../bench/main-module';

describe('isMainModule', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a plain path', '/work/bench/r-export.ts'],
    ['a path with a space', '/work/my benches/bench/r-export.ts'],
    ['a path with characters a URL escapes', '/work/bench #2 (100%)/r-export.ts'],
  ])('knows the module started with %s', (_, script) => {
    expect(isMainModule(pathToFileURL(script).href, script)).toBe(true);
  });

  it('knows the module started by a path relative to the working directory', () => {
    const script = join('bench with space', 'r-export.ts');
    expect(isMainModule(pathToFileURL(join(process.cwd(), script)).href, script)).toBe(true);
  });

  it('knows the module started through a symbolic link (node names the module by its real path)', () => {
    const root = mkdtempSync(join(tmpdir(), 'main-module-'));
    made.push(root);
    mkdirSync(join(root, 'checkout', 'bench'), { recursive: true });
    const real = join(root, 'checkout', 'bench', 'r-export.ts');
    writeFileSync(real, '');
    symlinkSync(join(root, 'checkout'), join(root, 'link'));

    expect(isMainModule(pathToFileURL(real).href, join(root, 'link', 'bench', 'r-export.ts'))).toBe(true);
  });

  it.each([
    ['another script', '/work/bench/run.ts'],
    ['no script (a REPL)', undefined],
  ])('is false for a module imported by %s', (_, script) => {
    expect(isMainModule(pathToFileURL('/work/bench/r-export.ts').href, script)).toBe(false);
  });
});
