/**
 * docs/remediation-engine.md draws a remediation's states; this keeps the drawing the ledger's own
 * rules (`INITIAL_STATES`, `TRANSITIONS`), so a new move cannot land without the doc saying so.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATES, TRANSITIONS } from '../../../lambdas/core/remediation/ledger-records';

const DOC = new URL('../../../docs/remediation-engine.md', import.meta.url);

/** The arrows of the doc's `stateDiagram-v2` block, as `from → to` (`[*]` for a record's creation). */
function diagramArrows(markdown: string): string[] {
  const block = /```mermaid\n(stateDiagram-v2\n[\s\S]*?)```/.exec(markdown);
  if (block === null) throw new Error('docs/remediation-engine.md has no stateDiagram-v2 block');
  return (block[1] as string)
    .split('\n')
    .map((line) => /^\s*(\[\*\]|\w+)\s*-->\s*(\w+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} → ${m[2]}`)
    .sort();
}

describe('the remediation state diagram in docs/remediation-engine.md', () => {
  it('draws exactly the states a record may be created in and the legal moves', () => {
    const rules = [
      ...[...INITIAL_STATES].map((s) => `[*] → ${s}`),
      ...Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from} → ${to}`)),
    ].sort();
    expect(diagramArrows(readFileSync(DOC, 'utf8'))).toEqual(rules);
  });
});
