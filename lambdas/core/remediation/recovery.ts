/**
 * When an alarm state counts as "recovered" for a remediation's verification. OK always does (the
 * alarm's own OK event resolves a remediation even before the automation's status event). A rule
 * may also accept INSUFFICIENT_DATA (`verificationRecoveredStates`), for alarms on a resource the
 * automation replaces: the terminated instance stops reporting and its alarm goes to
 * INSUFFICIENT_DATA, not OK. That counts only once the automation succeeded: before, the missing
 * data may just be the instance failing harder; after a failure, nothing was fixed.
 */
import type { RecoveredState, RemediationRule } from '../../../lib/config/remediation-schema';
import type { AlarmStateValue } from './alarm-event';
import type { RemediationRecord } from './ledger-records';

export type { RecoveredState } from '../../../lib/config/remediation-schema';

/** What verification knows when it looks at the alarm. */
export interface RecoveryInput {
  /** The alarm's state now; undefined when the alarm is gone. */
  readonly alarmState: AlarmStateValue | undefined;
  /** The rule's `verificationRecoveredStates` (`["OK"]` when the rule is gone). */
  readonly accepted: readonly RecoveredState[];
  /** Whether the remediation's automation is known to have succeeded. */
  readonly automationSucceeded: boolean;
}

/** The state that counts as recovered, or undefined when the alarm has not recovered. */
export function recoveredBy(input: RecoveryInput): RecoveredState | undefined {
  if (input.alarmState === 'OK') return 'OK';
  if (
    input.alarmState === 'INSUFFICIENT_DATA' &&
    input.automationSucceeded &&
    input.accepted.includes('INSUFFICIENT_DATA')
  ) {
    return 'INSUFFICIENT_DATA';
  }
  return undefined;
}

/** The recovered states of `ruleId`'s rule; only OK when the rule is gone from the config. */
export function acceptedStates(
  rules: readonly Pick<RemediationRule, 'id' | 'verificationRecoveredStates'>[],
  ruleId: string,
): readonly RecoveredState[] {
  return rules.find((r) => r.id === ruleId)?.verificationRecoveredStates ?? ['OK'];
}

/** Whether the ledger recorded that `record`'s automation succeeded. */
export function automationSucceeded(record: Pick<RemediationRecord, 'automationSucceededAtSec'>): boolean {
  return record.automationSucceededAtSec !== undefined;
}

/** Why a state that is not OK did not count, for the escalation's reason; undefined for OK/ALARM. */
export function whyNotRecovered(input: RecoveryInput): string | undefined {
  if (input.alarmState !== 'INSUFFICIENT_DATA') return undefined;
  if (!input.accepted.includes('INSUFFICIENT_DATA'))
    return "INSUFFICIENT_DATA is not in the rule's verificationRecoveredStates";
  if (!input.automationSucceeded) return 'INSUFFICIENT_DATA counts only after the automation succeeded';
  return undefined;
}
