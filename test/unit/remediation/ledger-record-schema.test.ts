import { describe, expect, it } from 'vitest';
import { decodeRemediationRecord } from '../../../lambdas/core/remediation/ledger-record-schema';
import { DRY_RUN, ESCALATED, REPLACED, RESOLVED } from '../../cli/fixtures/history-records';

describe('decodeRemediationRecord', () => {
  it.each([RESOLVED, REPLACED, ESCALATED, DRY_RUN])('accepts the stored record $id as it is', (record) => {
    expect(decodeRemediationRecord(record)).toEqual({ ok: true, record });
  });

  it('keeps attributes a later release may add', () => {
    const decoded = decodeRemediationRecord({ ...DRY_RUN, addedLater: 1 });

    expect(decoded.ok && decoded.record).toEqual({ ...DRY_RUN, addedLater: 1 });
  });

  it.each([
    [{ ...RESOLVED, createdAtSec: undefined }, 'createdAtSec: missing; required (number)'],
    [{ ...RESOLVED, updatedAtSec: null }, 'updatedAtSec: received null; expected number'],
    [{ ...RESOLVED, mode: 'auto' }, 'mode: received "auto"; expected observe | dryRun | enforce'],
    [
      { ...RESOLVED, verdicts: [{ guardrail: 'mode' }] },
      'verdicts[0].outcome: missing; required (string) (and 1 more)',
    ],
    [
      { ...ESCALATED, escalation: { reason: 'x', atSec: 'now' } },
      'escalation.atSec: received "now"; expected number',
    ],
    [
      { ...ESCALATED, escalation: { reason: 'x', atSec: 1, kind: 'tooLate' } },
      'escalation.kind: received "tooLate"; expected frequencyLimit | errorBudget | ruleDefect | startFailed | automationFailed | verificationFailed | automationOverran | blocked | untrackedExecution | observed',
    ],
    [
      { ...REPLACED, recoveredState: 'ALARM' },
      'recoveredState: received "ALARM"; expected OK | INSUFFICIENT_DATA',
    ],
    [{ ...REPLACED, recoveredState: 1 }, 'recoveredState: received 1; expected OK | INSUFFICIENT_DATA'],
    [
      { ...REPLACED, automationSucceededAtSec: '2024-03-04T11:04:00Z' },
      'automationSucceededAtSec: received "2024-03-04T11:04:00Z"; expected number',
    ],
    [
      { ...RESOLVED, stateLog: [{ state: 'begun', atSec: 1 }] },
      'stateLog[0].state: received "begun"; expected started | verifying | resolved | escalated | failed | dryRun | observed | skipped | blocked',
    ],
    [{ ...RESOLVED, stateLog: { started: 1 } }, 'stateLog: received {"started":1}; expected array'],
    [
      { ...RESOLVED, stateLogGap: { after: 4, count: -1 } },
      'stateLogGap.count: received -1; Too small: expected number to be >=0',
    ],
    [{ ...ESCALATED, alarmArn: 42 }, 'alarmArn: received 42; expected string'],
    ['not an item', '(record): received "not an item"; expected object'],
  ])('fails on a malformed item, naming the field and the value %#', (item, problem) => {
    expect(decodeRemediationRecord(item)).toEqual({ ok: false, problem });
  });

  it('accepts an escalation with the kind it was recorded as, and one recorded before kinds were kept', () => {
    const withKind = { ...ESCALATED, escalation: { reason: 'x', atSec: 1, kind: 'blocked' } };
    const without = { ...ESCALATED, escalation: { reason: 'x', atSec: 1 } };

    expect(decodeRemediationRecord(withKind)).toEqual({ ok: true, record: withKind });
    expect(decodeRemediationRecord(without)).toEqual({ ok: true, record: without });
  });

  it('accepts a record written before the state log was kept, with stateTimes only', () => {
    const { stateLog: _log, ...before } = RESOLVED;

    expect(decodeRemediationRecord(before)).toEqual({ ok: true, record: before });
  });

  it('accepts a record whose full state log left entries out', () => {
    const capped = { ...RESOLVED, stateLogGap: { after: 4, count: 9 } };

    expect(decodeRemediationRecord(capped)).toEqual({ ok: true, record: capped });
  });

  it("accepts a record with its alarm's ARN (records written before it was kept have none)", () => {
    const record = {
      ...ESCALATED,
      alarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-i-0def',
    };

    expect(decodeRemediationRecord(record)).toEqual({ ok: true, record });
    expect(ESCALATED).not.toHaveProperty('alarmArn');
  });

  it('accepts a record stored under the key of its own id', () => {
    expect(decodeRemediationRecord(RESOLVED, RESOLVED.id)).toEqual({ ok: true, record: RESOLVED });
  });

  it('fails on a well-formed record stored under another id, naming both', () => {
    expect(decodeRemediationRecord(RESOLVED, 'rem-y')).toEqual({
      ok: false,
      problem: 'id: received "rem-resolved"; expected "rem-y" (the id its key names)',
    });
  });
});
