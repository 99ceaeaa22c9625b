/**
 * The evidence's timeline promises every state the escalated remediation entered
 * (lambdas/core/remediation/escalation.ts `ownStates`; docs/remediation-engine.md "SNS message and
 * OpsItem": "`selfheal:timeline` always keeps the escalated remediation's own entries (its states
 * and the escalation)"). The first send of a failed automation builds it from the record read
 * before the closing write, so the state the remediation was closed in is missing from the SNS
 * message and the OpsItem, while a re-send of the same escalation (built from the stored record)
 * has it: the two pieces of evidence of one escalation disagree.
 */
import { describe, expect, it } from 'vitest';
import { stateHistory } from '../../../lambdas/core/remediation/state-log';
import { evidenceOf, startThenFail, testDeps } from './engine-deps';

describe('the timeline of a failed automation’s first escalation', () => {
  it('lists the state the remediation was closed in, as the stored record does', async () => {
    const deps = testDeps();
    const result = await startThenFail(deps, 'evt-timeline', 'i-0abc1234');
    const record = await deps.ledger.getRemediation(result.remediationId ?? '');
    const stored = stateHistory(record ?? {}).entries.map((e) => `remediation ${e.state}`);

    const timeline = evidenceOf(deps.escalator.notifications[0]).timeline.map((t) => t.what);

    expect(record?.state).toBe('failed');
    // Fails today: the timeline stops at "remediation verifying" (or "started").
    expect(timeline.filter((w) => w.startsWith('remediation '))).toEqual(stored);
  });
});
