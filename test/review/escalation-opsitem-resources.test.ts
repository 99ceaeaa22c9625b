/**
 * Review: the OpsItem's related resource (`/aws/resources`, the alarm's ARN) depends on which code
 * path sends the escalation. The alarm handler's first send names the alarm ARN; a re-send
 * (./escalation-resend, after SNS failed) and every escalation of the verification side
 * (./verification failVerification, ./engine-close) rebuild the alarm from `record.alarmName` alone,
 * so they send no `/aws/resources`.
 *
 * OpsCenter deduplicates on the dedup string *and* the resource: "If the system finds a matching
 * deduplication string in an OpsItem, but the resources are different, then the system creates the
 * new OpsItem" (https://docs.aws.amazon.com/systems-manager/latest/userguide/OpsCenter-working-deduplication.html,
 * "Working with deduplication strings"). So a retry after an SNS failure opens a second OpsItem, and
 * one rule and resource gets two open OpsItems (alarm-side and verification-side), against the
 * documented "one open OpsItem per rule and resource".
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { EscalationNotDeliveredError } from '../../lambdas/core/remediation/escalation-send';
import { alarmOnInstance, evidenceOf, startThenFail, testDeps } from '../unit/remediation/engine-deps';
import { DISK_RULE } from '../unit/remediation/helpers';

const INSTANCE = 'i-0abc123def4567890';
const ALARM_ARN = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-${INSTANCE}`;

describe('the OpsItem related resource of an escalation', () => {
  it('is the same on the re-send after SNS failed as on the first send, so OpsCenter deduplicates it', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    await deps.ledger.recordRemediation(DISK_RULE.id, INSTANCE, deps.clock.nowSec() - 60, 'old');
    const event = alarmOnInstance('evt-1', INSTANCE);
    deps.escalator.snsFails = true;
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;

    await handleAlarmEvent(event, deps);

    const [first, retried] = deps.escalator.opsItems;
    expect(first?.OperationalData['/aws/resources']?.Value).toBe(JSON.stringify([{ arn: ALARM_ARN }]));
    expect(retried?.OperationalData['/aws/resources']).toEqual(first?.OperationalData['/aws/resources']);
    // The re-sent SNS evidence names the alarm as fully as the first attempt would have.
    expect(evidenceOf(deps.escalator.notifications[0]).alarm.arn).toBe(ALARM_ARN);
  });

  it('is the same for a failed automation as for a frequency-limit refusal of the same rule and resource', async () => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, limits: { maxPerResource: 1 } }] });
    await startThenFail(deps, 'evt-1', INSTANCE);
    deps.clock.advance(600);

    await handleAlarmEvent(alarmOnInstance('evt-2', INSTANCE), deps);

    const [failed, refused] = deps.escalator.opsItems;
    expect(refused?.OperationalData['selfheal:kind']?.Value).toBe('frequencyLimit');
    expect(refused?.OperationalData['/aws/resources']?.Value).toBe(JSON.stringify([{ arn: ALARM_ARN }]));
    expect(failed?.OperationalData['/aws/resources']).toEqual(refused?.OperationalData['/aws/resources']);
  });
});
