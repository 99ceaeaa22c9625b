/**
 * The README and docs/ send a maintainer to code by name: "`<identifier>` in `<file>.ts`". Each
 * such pointer must name something the file declares, or the reader searches for nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const DOCS = ['README.md', 'docs/remediation-engine.md'];

/** Every "`name` in `path.ts`" pointer of the doc (line breaks read as spaces), each once. */
function pointers(markdown: string): { readonly name: string; readonly path: string }[] {
  const text = markdown.replace(/\s+/g, ' ');
  const found = [...text.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)` in `((?:lambdas|lib|cli|bin)\/[^`]+\.ts)`/g)];
  const unique = new Map(
    found.map((m) => [`${m[1]} ${m[2]}`, { name: m[1] as string, path: m[2] as string }]),
  );
  return [...unique.values()];
}

/** Whether `source` declares `name` (function, class, const, let, type or interface). */
function declares(source: string, name: string): boolean {
  return new RegExp(`\\b(?:function|class|const|let|type|interface)\\s+${name}\\b`).test(source);
}

describe.each(DOCS)('code pointers in %s', (doc) => {
  it('name only identifiers their file declares', () => {
    const list = pointers(readFileSync(new URL(doc, ROOT), 'utf8'));
    expect(list.length).toBeGreaterThan(0);
    const dangling = list
      .filter(({ name, path }) => !declares(readFileSync(new URL(path, ROOT), 'utf8'), name))
      .map(({ name, path }) => `${name} in ${path}`);
    expect(dangling).toEqual([]);
  });
});
