import { describe, expect, it } from 'vitest';
import {
  acceptedStates,
  type RecoveredState,
  recoveredBy,
  whyNotRecovered,
} from '../../../lambdas/core/remediation/recovery';

const OK_ONLY: readonly RecoveredState[] = ['OK'];
const BOTH: readonly RecoveredState[] = ['OK', 'INSUFFICIENT_DATA'];

describe('recoveredBy', () => {
  it.each([
    // alarm state, accepted, automation succeeded, recovered by
    ['OK', OK_ONLY, false, 'OK'],
    ['OK', OK_ONLY, true, 'OK'],
    ['OK', BOTH, false, 'OK'],
    ['ALARM', BOTH, true, undefined],
    [undefined, BOTH, true, undefined],
    ['INSUFFICIENT_DATA', OK_ONLY, true, undefined],
    ['INSUFFICIENT_DATA', BOTH, false, undefined],
    ['INSUFFICIENT_DATA', BOTH, true, 'INSUFFICIENT_DATA'],
  ] as const)(
    'alarm %s, accepted %j, automation succeeded %s → %s',
    (alarmState, accepted, succeeded, expected) => {
      expect(recoveredBy({ alarmState, accepted, automationSucceeded: succeeded })).toBe(expected);
    },
  );
});

describe('whyNotRecovered', () => {
  it('names the missing setting, or the automation that has not succeeded', () => {
    const base = { alarmState: 'INSUFFICIENT_DATA' as const };
    expect(whyNotRecovered({ ...base, accepted: OK_ONLY, automationSucceeded: true })).toContain(
      'verificationRecoveredStates',
    );
    expect(whyNotRecovered({ ...base, accepted: BOTH, automationSucceeded: false })).toContain(
      'only after the automation succeeded',
    );
    expect(whyNotRecovered({ ...base, accepted: BOTH, automationSucceeded: true })).toBeUndefined();
    expect(
      whyNotRecovered({ alarmState: 'ALARM', accepted: BOTH, automationSucceeded: true }),
    ).toBeUndefined();
  });
});

describe('acceptedStates', () => {
  it("returns the rule's states, and only OK for a rule that is gone", () => {
    const rules = [{ id: 'replace', verificationRecoveredStates: [...BOTH] }];
    expect(acceptedStates(rules, 'replace')).toEqual(BOTH);
    expect(acceptedStates(rules, 'gone')).toEqual(['OK']);
  });
});
