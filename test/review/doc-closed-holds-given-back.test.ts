/**
 * docs/remediation-engine.md, "Holds of a closed remediation", tells the on-call that a remediation
 * closed as failed or escalated gives back its resource lock and slots right after the closing
 * write. The engine keeps them for two kinds of escalated remediation (./engine-closed-holds):
 * one escalated as overrun, whose automation may still run, and one escalated from `started`
 * without an execution, whose start may have reached SSM. The section must not say otherwise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closedOverrun, keepsHoldsClosed } from '../../lambdas/core/remediation/engine-closed-holds';

const DOC = new URL('../../docs/remediation-engine.md', import.meta.url);

/** The text of the doc's `### <heading>` section, up to the next heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n### ${heading}\n`);
  if (start < 0) throw new Error(`docs/remediation-engine.md has no section "${heading}"`);
  const body = markdown.slice(start + heading.length + 6);
  const end = body.search(/\n#{1,4} /);
  return (end < 0 ? body : body.slice(0, end)).replace(/\s+/g, ' ');
}

describe('"Holds of a closed remediation" in docs/remediation-engine.md', () => {
  it('does not claim every escalated remediation gives its holds back, as the engine keeps some', () => {
    // Arrange: escalated records whose holds the engine keeps until they lapse.
    const overran = {
      state: 'escalated' as const,
      escalation: { reason: 'r', atSec: 2, kind: 'automationOverran' as const },
    };
    const withoutExecution = { state: 'escalated' as const, stateTimes: { started: 1, escalated: 2 } };
    expect(closedOverrun(overran)).toBe(true);
    expect(keepsHoldsClosed(withoutExecution)).toBe(true);

    // Act
    const text = section(readFileSync(DOC, 'utf8'), 'Holds of a closed remediation');

    // Assert: the blanket sentence is gone, or the section names the exceptions.
    const blanket =
      /closed as failed or escalated gives back its resource lock, group slot and global slot/.test(text);
    const namesExceptions = text.includes('automationOverran') && text.includes('without an execution');
    expect({ blanket, namesExceptions }).not.toEqual({ blanket: true, namesExceptions: false });
  });
});
