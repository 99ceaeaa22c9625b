import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { buildEvidence, type EscalationInput } from '../../../lambdas/core/remediation/escalation';
import { notificationFor, opsItemFor } from '../../../lambdas/core/remediation/escalation-render';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { parseEvent } from '../../../lambdas/core/remediation/events';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmEvent } from '../../handlers/remediation-setup';
import { alarmOnInstance, evidenceOf, startThenFail, testDeps, throttled } from './engine-deps';
import { DISK_RULE } from './helpers';
import { NOW, newRemediation } from './ledger-fixtures';

const input = (patch: Partial<EscalationInput> = {}): EscalationInput => ({
  kind: 'verificationFailed',
  reason: 'verification deadline passed 1 s ago with alarm disk-full-i-1 ALARM',
  remediation: {
    ...newRemediation('r-2', { executionId: 'exec-2' }),
    state: 'escalated',
    stateTimes: { started: NOW - 600, verifying: NOW - 599 },
  },
  alarm: {
    name: 'disk-full-i-1',
    arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-i-1',
    state: 'ALARM',
  },
  actions: [
    { remediationId: 'r-2', state: 'verifying', atSec: NOW - 600, executionId: 'exec-2' },
    { remediationId: 'r-1', state: 'resolved', atSec: NOW - 7200, executionId: 'exec-1' },
  ],
  ruleFrozen: false,
  nowSec: NOW,
  ...patch,
});

/** The SNS subject for a remediation of `resourceId`. */
const subjectOf = (resourceId: string) =>
  notificationFor(buildEvidence(input({ remediation: { ...input().remediation, resourceId } }))).subject;

describe('escalation content', () => {
  it('deduplicates the OpsItem per rule and resource with /aws/dedup', () => {
    const ops = opsItemFor(buildEvidence(input()));
    expect(ops.OperationalData['/aws/dedup']).toEqual({
      Value: '{"dedupString":"selfheal:disk:i-1"}',
      Type: 'SearchableString',
    });
    expect(ops).toMatchObject({ Source: 'selfheal', Category: 'Availability', Severity: '2' });
  });

  it('carries the alarm, the actions with execution ids, the verdicts and an ordered timeline', () => {
    const e = buildEvidence(input());
    expect(e.actions.map((a) => a.executionId)).toEqual(['exec-2', 'exec-1']);
    expect(e.guardrails).toHaveLength(1);
    expect(e.timeline.map((t) => t.what)).toEqual([
      'earlier remediation r-1: resolved',
      'remediation started',
      'remediation verifying',
      'escalated: verificationFailed',
    ]);
    const ops = opsItemFor(e);
    expect(JSON.parse(ops.OperationalData['selfheal:alarm']?.Value ?? '{}')).toMatchObject({
      state: 'ALARM',
    });
    expect(ops.OperationalData['/aws/resources']?.Value).toContain('alarm:disk-full-i-1');
  });

  it('lists every state the remediation entered in its timeline, a state entered twice each time', () => {
    const remediation = {
      ...input().remediation,
      stateTimes: { started: NOW - 300, blocked: NOW - 480, verifying: NOW - 240 },
      stateLog: [
        { state: 'started' as const, atSec: NOW - 600 },
        { state: 'blocked' as const, atSec: NOW - 480 },
        { state: 'started' as const, atSec: NOW - 300 },
        { state: 'verifying' as const, atSec: NOW - 240 },
      ],
    };

    const e = buildEvidence(input({ remediation, actions: [] }));

    expect(e.timeline).toEqual([
      { at: new Date((NOW - 600) * 1000).toISOString(), what: 'remediation started' },
      { at: new Date((NOW - 480) * 1000).toISOString(), what: 'remediation blocked' },
      { at: new Date((NOW - 300) * 1000).toISOString(), what: 'remediation started' },
      { at: new Date((NOW - 240) * 1000).toISOString(), what: 'remediation verifying' },
      { at: new Date(NOW * 1000).toISOString(), what: 'escalated: verificationFailed' },
    ]);
  });

  it('says where a full state log left state changes out', () => {
    const remediation = {
      ...input().remediation,
      stateLog: [
        { state: 'started' as const, atSec: NOW - 600 },
        { state: 'blocked' as const, atSec: NOW - 540 },
        { state: 'started' as const, atSec: NOW - 60 },
      ],
      stateLogGap: { after: 2, count: 5 },
    };

    const e = buildEvidence(input({ remediation, actions: [] }));

    expect(e.timeline.map((t) => t.what)).toEqual([
      'remediation started',
      'remediation blocked',
      'remediation: 5 more state change(s) not kept',
      'remediation started',
      'escalated: verificationFailed',
    ]);
  });

  it('keeps the SNS subject ASCII and under 100 characters', () => {
    const long = input({ remediation: { ...input().remediation, resourceId: `ré-${'x'.repeat(200)}` } });
    const { subject, message } = notificationFor(buildEvidence(long));
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(message).toContain('"executionId": "exec-2"');
  });

  it('keeps the OpsItem title to one line of at most 1,024 characters, as the subject reads', () => {
    const resourceId = `i-0abc\r\nrm -rf /\u2028${'x'.repeat(1200)}`;
    const e = buildEvidence(input({ remediation: { ...input().remediation, resourceId } }));

    const { Title } = opsItemFor(e);

    expect(Title).toHaveLength(1024);
    expect(Title.startsWith('selfheal: disk on i-0abc??rm -rf /?xxx')).toBe(true);
    expect(Title.startsWith(notificationFor(e).subject)).toBe(true);
    // The raw value stays in the evidence.
    expect(opsItemFor(e).OperationalData['selfheal:resource']?.Value).toBe(resourceId);
  });

  it.each([
    [98, 98],
    [99, 99],
    [100, 99],
    [101, 99],
  ])('cuts a %i-character subject to %i characters (SNS: "less than 100 characters")', (full, kept) => {
    const shortest = subjectOf('');
    const text = subjectOf('x'.repeat(full - shortest.length));
    expect(text).toHaveLength(kept);
    expect(text.startsWith('selfheal: disk on xxx')).toBe(true);
  });
});

/**
 * OpsCenter deduplicates on the dedup string and the resource: "Systems Manager creates and stores
 * a hash based on the deduplication string and the resource that initiated the OpsItem" (User
 * Guide, "Managing duplicate OpsItems"). Every path that escalates one remediation must name the
 * same related resource (`/aws/resources`, the alarm's ARN), or one rule and resource gets a second
 * OpsItem.
 */
describe('the OpsItem related resource of an escalation', () => {
  const INSTANCE = 'i-0abc123def4567890';
  const arnOf = (instanceId: string) =>
    `arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-${instanceId}`;
  const resources = (instanceId: string) => ({
    Value: JSON.stringify([{ arn: arnOf(instanceId) }]),
    Type: 'SearchableString',
  });
  const LIMITED = { ...DISK_RULE, limits: { maxPerResource: 1 } };

  it('is the same on the re-send after SNS failed as on the first send, so OpsCenter deduplicates it', async () => {
    const deps = testDeps({ rules: [LIMITED] });
    await deps.ledger.recordRemediation(DISK_RULE.id, INSTANCE, deps.clock.nowSec() - 60, 'old');
    const event = alarmOnInstance('evt-1', INSTANCE);
    deps.escalator.snsFails = true;
    deps.escalator.opsItemFails = throttled();
    await expect(handleAlarmEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;
    deps.escalator.opsItemFails = undefined;

    await handleAlarmEvent(event, deps);

    const [first, resent] = deps.escalator.opsItemRequests;
    expect(first?.OperationalData['/aws/resources']).toEqual(resources(INSTANCE));
    expect(resent?.OperationalData['/aws/resources']).toEqual(resources(INSTANCE));
    // The re-sent SNS evidence names the alarm as fully as the first attempt would have.
    expect(evidenceOf(deps.escalator.notifications[0]).alarm.arn).toBe(arnOf(INSTANCE));
  });

  it('is the same for a failed automation as for a frequency-limit refusal of the same rule and resource', async () => {
    const deps = testDeps({ rules: [LIMITED] });
    await startThenFail(deps, 'evt-1', INSTANCE);
    deps.clock.advance(600);

    await handleAlarmEvent(alarmOnInstance('evt-2', INSTANCE), deps);

    const [failed, refused] = deps.escalator.opsItems;
    expect(failed?.OperationalData['selfheal:kind']?.Value).toBe('automationFailed');
    expect(refused?.OperationalData['selfheal:kind']?.Value).toBe('frequencyLimit');
    expect(failed?.OperationalData['/aws/resources']).toEqual(resources(INSTANCE));
    expect(refused?.OperationalData['/aws/resources']).toEqual(resources(INSTANCE));
  });

  it('names the alarm ARN when the sweeper escalates a remediation blocked past its deadline', async () => {
    const other = 'i-00000000000000002';
    const deps = testDeps({ extra: { maxConcurrentRemediations: 1 } });
    await handleAlarmEvent(alarmOnInstance('evt-a', INSTANCE), deps);
    await handleAlarmEvent(alarmOnInstance('evt-b', other), deps);
    expect((await deps.ledger.getRemediation('rem-evt-b'))?.state).toBe('blocked');
    deps.clock.advance(600);

    await sweepDeadlines(deps, 'sweep-1');

    const blocked = deps.escalator.opsItems.find(
      (o) => o.OperationalData['selfheal:resource']?.Value === other,
    );
    expect(blocked?.OperationalData['selfheal:kind']?.Value).toBe('blocked');
    expect(blocked?.OperationalData['/aws/resources']).toEqual(resources(other));
  });

  it('is absent for a record written before the alarm ARN was kept, which still re-sends', async () => {
    const deps = testDeps();
    const pending = { reason: 'deadline passed', atSec: deps.clock.nowSec(), byEventId: 'sweep-0' };
    await deps.ledger.createRemediation(
      newRemediation('rem-old', { ruleId: DISK_RULE.id, state: 'escalated', escalation: pending }),
    );
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.resentEscalations).toBe(1);
    expect(deps.escalator.opsItems[0]?.OperationalData['/aws/resources']).toBeUndefined();
    expect(evidenceOf(deps.escalator.notifications[0]).alarm).toEqual({ name: 'disk-full-i-1' });
  });
});

/**
 * CreateOpsItem's Title has the pattern `^(?!\s*$).+` (API reference, and the service model's
 * `OpsItemTitle`), whose `.` matches no line terminator; a resource id is a metric dimension value,
 * which CloudWatch constrains to 1-1024 characters with no pattern, and the `ruleDefect` escalation
 * exists for such hostile values.
 */
describe('the OpsItem title of a rule-defect escalation', () => {
  /** A dimension value with a line break in it, which the document's allowedPattern rejects. */
  const HOSTILE = 'i-0abc\nrm -rf /';
  /** Java's `.` (the service's pattern) matches none of \n, \r, \u0085, \u2028, \u2029. */
  const TITLE_PATTERN = /^(?!\s*$)[^\n\r\u0085\u2028\u2029]+$/;

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
    expect(opsItem?.Title).toBe(`selfheal: ${DISK_RULE.id} on i-0abc?rm -rf /: rule cannot be applied`);
  });
});
