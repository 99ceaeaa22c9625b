import { describe, expect, it } from 'vitest';
import { aboutRemediation } from '../../../lambdas/core/remediation/engine-result';

const verdicts = [{ guardrail: 'resource-lock', outcome: 'pass', reason: 'no open remediation on i-0abc' }];
const record = {
  id: 'rem-1',
  ruleId: 'disk-full',
  resourceId: 'i-0abc',
  alarmName: 'disk-full-i-0abc',
  verdicts,
};

describe('aboutRemediation', () => {
  it('names the remediation, its rule, resource, alarm and verdicts', () => {
    expect(aboutRemediation(record)).toEqual({
      remediationId: 'rem-1',
      ruleId: 'disk-full',
      resourceId: 'i-0abc',
      alarmName: 'disk-full-i-0abc',
      verdicts,
    });
  });

  it('adds the execution id once the document was started', () => {
    expect(aboutRemediation({ ...record, executionId: 'exec-1111' })).toMatchObject({
      remediationId: 'rem-1',
      executionId: 'exec-1111',
      verdicts,
    });
  });
});
