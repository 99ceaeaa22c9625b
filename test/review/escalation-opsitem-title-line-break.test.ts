/**
 * Review: the OpsItem Title embeds the resource id raw (lambdas/core/remediation/escalation-render.ts,
 * opsItemFor), while the SNS subject of the same escalation replaces anything outside printable ASCII.
 * The resource id is a metric dimension value, which CloudWatch constrains only to 1-1024 characters
 * (no pattern), and the `ruleDefect` escalation exists precisely for hostile values. CreateOpsItem's
 * Title has the pattern `^(?!\s*$).+` (API reference,
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateOpsItem.html, and the
 * published service model botocore/data/ssm/2014-11-06 `OpsItemTitle`), whose `.` matches no line
 * terminator: a value with a line break makes OpsCenter refuse the OpsItem, so the defect alarm has
 * no OpsItem at all.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../lambdas/core/remediation/engine-alarm';
import { parseEvent } from '../../lambdas/core/remediation/events';
import { alarmEvent } from '../handlers/remediation-setup';
import { testDeps } from '../unit/remediation/engine-deps';

/** A dimension value with a line break in it, which the document's allowedPattern rejects. */
const HOSTILE = 'i-0abc\nrm -rf /';

/** Java's `.` (the service's pattern) matches none of \n, \r, \u0085, \u2028, \u2029. */
const TITLE_PATTERN = /^(?!\s*$)[^\n\r\u0085\u2028\u2029]+$/;

describe('the OpsItem title of a rule-defect escalation', () => {
  it('keeps to the CreateOpsItem Title pattern when the resource id has a line break', async () => {
    const deps = testDeps();
    const raw = JSON.parse(
      JSON.stringify(alarmEvent('evt-nl')).replace(
        '"InstanceId":"i-0abc123def4567890"',
        `"InstanceId":${JSON.stringify(HOSTILE)}`,
      ),
    );
    const event = parseEvent(raw);
    if (event.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(event)}`);

    const result = await handleAlarmEvent(event, deps);

    expect(result).toMatchObject({ outcome: 'escalated', resourceId: HOSTILE });
    const [opsItem] = deps.escalator.opsItems;
    expect(opsItem?.OperationalData['selfheal:kind']?.Value).toBe('ruleDefect');
    expect(opsItem?.Title).toMatch(TITLE_PATTERN);
  });
});
