/**
 * Review: a redeploy narrows `cleanupAllowedPathPrefixes` while a cleanup start is stalled
 * (`started`, no execution: its starter died inside StartAutomationExecution). The resume's
 * recheck (start-recheck.ts) re-evaluates only `mode` and `errorBudget`, and resumeStart rebuilds
 * the request from the recorded parameters, so the sweeper sends StartAutomationExecution for a
 * Directory the current config forbids: guardrail 9 (allowListedDocument), which the first
 * decision and the sweeper's re-drive of a blocked record both apply, is skipped. The retaken
 * holds do not stand in for it (docs/remediation-engine.md "Resumed starts check again first").
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, evaluateGuardrails } from '../../lambdas/core/remediation/guardrails';
import { sweepDeadlines } from '../../lambdas/core/remediation/verification-sweep';
import { EVENT_CLAIM_LEASE_SEC } from '../unit/remediation/engine-deps';
import { configWith, DISK_RULE } from '../unit/remediation/helpers';
import { REMEDIATION, startDied } from '../unit/remediation/start-died';

describe('a stalled cleanup start resumed after a redeploy narrowed cleanupAllowedPathPrefixes', () => {
  it('sends no StartAutomationExecution for a Directory the current config no longer allows', async () => {
    const deps = await startDied();
    const stalled = await deps.ledger.getRemediation(REMEDIATION);
    expect(stalled?.parameters?.Directory).toEqual(['/var/log/app/']);
    // The redeploy: /var/log/app/ is no longer an allowed prefix.
    const redeployed = {
      ...deps,
      config: configWith([DISK_RULE], { cleanupAllowedPathPrefixes: ['/tmp/'] }),
    };
    const [rule] = redeployed.config.rules;
    if (rule === undefined) throw new Error('no rule');
    const [verdict] = evaluateGuardrails(
      {
        eventId: 'evt-1',
        rule,
        config: redeployed.config,
        snapshot: EMPTY_SNAPSHOT,
        nowSec: redeployed.clock.nowSec(),
        resourceId: stalled?.resourceId ?? '',
        parameters: stalled?.parameters ?? {},
        documentNames: redeployed.engine.documentNames,
      },
      ['allowListedDocument'],
    );
    // The current config's own guardrail forbids this cleanup.
    expect(verdict).toMatchObject({ guardrail: 'allowListedDocument', outcome: 'block' });
    redeployed.clock.advance(EVENT_CLAIM_LEASE_SEC);

    await sweepDeadlines(redeployed, 'sweep-1');

    expect(redeployed.automation.requests.map((r) => r.Parameters.Directory)).toEqual([]);
    expect(await redeployed.ledger.getRemediation(REMEDIATION)).not.toMatchObject({ state: 'verifying' });
  });
});
