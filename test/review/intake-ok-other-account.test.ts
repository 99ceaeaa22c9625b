/**
 * An alarm's identity is its ARN (account, Region, name), not its name: alarm names are unique
 * only within one account and Region. A default event bus can be opened to receive events from
 * other accounts, and "a rule that matches events that come from the sender account" then sees
 * them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/CloudWatchEvents-CrossAccountEventDelivery.html);
 * the stack's alarm rules (lib/constructs/remediation-event-patterns.ts) do not pin `account` or `region`.
 * The sample events (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html)
 * carry the alarm ARN in `resources`, which the parser keeps as `alarmArn`.
 *
 * Defect: the OK side looks up open remediations by alarm name alone
 * (`ledger.findOpenByAlarm(event.alarmName)` in lambdas/core/remediation/verification.ts), so an
 * OK of a same-named alarm in another account resolves this account's remediation while its alarm
 * is still in ALARM.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../lambdas/core/remediation/events';
import { handleAlarmOk } from '../../lambdas/core/remediation/verification';
import { alarmOn } from '../handlers/remediation-setup';
import { alarmOnInstance, testDeps } from '../unit/remediation/engine-deps';

const INSTANCE = 'i-0abc123def4567890';
const OTHER_ACCOUNT = '210987654321';

/** The same alarm name going back to OK, but in another account (its envelope and ARN say so). */
function okFromOtherAccount(id: string) {
  const raw = alarmOn(id, INSTANCE) as { detail: Record<string, unknown>; resources: string[] } & Record<
    string,
    unknown
  >;
  const state = raw.detail.state as Record<string, unknown>;
  const parsed = parseEvent({
    ...raw,
    account: OTHER_ACCOUNT,
    resources: raw.resources.map((arn) => arn.replace(/:\d{12}:alarm:/, `:${OTHER_ACCOUNT}:alarm:`)),
    detail: {
      ...raw.detail,
      state: { ...state, value: 'OK', timestamp: '2026-11-27T03:14:00.000+0000' },
      previousState: { ...state, value: 'ALARM' },
    },
  });
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

describe('alarm intake: an OK from a same-named alarm in another account', () => {
  it('does not resolve the remediation this account’s alarm opened', async () => {
    const deps = testDeps();
    const start = await handleAlarmEvent(alarmOnInstance('evt-alarm', INSTANCE), deps);
    expect(start.outcome).toBe('started');
    const id = start.remediationId ?? '';
    const executionId = (await deps.ledger.getRemediation(id))?.executionId ?? '';
    deps.automation.statuses.set(executionId, 'Success');
    deps.clock.advance(60);

    const ok = okFromOtherAccount('evt-ok-other-account');
    expect(ok.alarmArn).toContain(`:${OTHER_ACCOUNT}:alarm:`);
    await handleAlarmOk(ok, deps);

    expect((await deps.ledger.getRemediation(id))?.state).not.toBe('resolved');
  });
});
