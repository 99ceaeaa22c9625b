/**
 * The AutomationStatusRule's pattern (lib/constructs/remediation-event-patterns.ts) must route every
 * status the verification core (automationOutcome) treats as the end of an execution; otherwise the
 * status event that docs/remediation-engine.md says escalates "at once" is filtered out by
 * EventBridge, and the remediation keeps its lock and slots until the deadline sweep reads it.
 *
 * AutomationExecutionStatus values: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AutomationExecution.html
 * Event shape (detail.Status): https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html
 */
import { describe, expect, it } from 'vitest';
import { AUTOMATION_STATUSES, automationOutcome } from '../../lambdas/core/remediation/automation-event';
import { automationStatusPattern } from '../../lib/constructs/remediation-event-patterns';

describe('automationStatusPattern', () => {
  const routed = (automationStatusPattern(['SelfHeal-cleanup-directory']).detail as { Status: string[] })
    .Status;
  const ended = AUTOMATION_STATUSES.filter((s) => automationOutcome(s) !== 'running');

  it.each(ended)('routes %s, a status the verification core settles as ended', (status) => {
    expect(routed).toContain(status);
  });

  it('routes exactly the statuses the core settles (no running status, no ended one missing)', () => {
    expect([...routed].sort()).toEqual([...ended].sort());
  });
});
