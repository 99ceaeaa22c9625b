/**
 * Review: a re-send replaces the whole escalation record with what the re-send alone did
 * (lambdas/core/remediation/escalation-resend.ts, `escalation = { ...sent.record, ... }`). When the
 * first attempt created the OpsItem but SNS failed, and the re-send's CreateOpsItem then fails (a
 * throttle), the ledger forgets the OpsItem that exists, and the SNS message, the only one the
 * on-call engineer gets, says "OpsItem: could not be created" while the first attempt's OpsItem is
 * open in OpsCenter.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import type { OpsItemRequest } from '../../lambdas/core/remediation/engine-ports';
import { EscalationNotDeliveredError } from '../../lambdas/core/remediation/escalation-send';
import { alarmOnInstance, FakeEscalator, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';

const INSTANCE = 'i-0abc123def4567890';

/** Creates the first OpsItem, then refuses every later CreateOpsItem as throttled. */
class ThrottledAfterFirst extends FakeEscalator {
  override async openOpsItem(request: OpsItemRequest) {
    if (this.opsItems.length > 0) {
      const error = new Error('Rate exceeded');
      error.name = 'ThrottlingException';
      throw error;
    }
    return super.openOpsItem(request);
  }
}

describe('a re-sent escalation whose first attempt created the OpsItem', () => {
  it('keeps naming that OpsItem when the re-send cannot reach OpsCenter', async () => {
    const escalator = new ThrottledAfterFirst();
    const deps = { ...testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] }), escalator };
    await deps.ledger.recordRemediation(DISK_RULE.id, INSTANCE, deps.clock.nowSec() - 60, 'old');
    const event = alarmOnInstance('evt-1', INSTANCE);
    escalator.snsFails = true;
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.opsItemId).toBe('oi-1');
    escalator.snsFails = false;

    await handleAlarmEvent(event, deps);

    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation).toMatchObject({
      snsMessageId: 'msg-1',
      opsItemId: 'oi-1',
    });
    expect(escalator.notifications[0]?.message).toContain('OpsItem: oi-1');
  });
});
