import { describe, expect, it } from 'vitest';
import { buildEvidence, type EscalationInput } from '../../../lambdas/core/remediation/escalation';
import { notificationFor, opsItemFor } from '../../../lambdas/core/remediation/escalation-render';
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
