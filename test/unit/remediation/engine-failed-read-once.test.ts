/**
 * An automation found already failed by a status read (the alarm handler's read right after the
 * start, the alarm's OK, the deadline sweep) is escalated with GetAutomationExecution's answer to
 * that read as its evidence: one call serves both, where the escalation used to send it again.
 * The SSM adapter runs against aws-sdk-client-mock, which counts the calls.
 */
import {
  GetAutomationExecutionCommand,
  type GetAutomationExecutionCommandOutput,
  SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SsmAutomation } from '../../../lambdas/adapters/ssm-automation';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type { EngineDeps } from '../../../lambdas/core/remediation/engine-ports';
import { handleAlarmOk } from '../../../lambdas/core/remediation/verification';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, evidenceOf, type TestDeps, testDeps } from './engine-deps';

const ssm = mockClient(SSMClient);
const INSTANCE = 'i-0abc123def4567890';
const EXECUTION = '333ba70b-2333-48db-b17e-a5e69c6f4d1c';
const FAILURE = 'Step fails when it is Poll action status for runCommand. Command failed with status Failed.';

/** GetAutomationExecution's answer (published shape) for the execution in `status`. */
function answer(status: 'InProgress' | 'Failed'): GetAutomationExecutionCommandOutput {
  return {
    $metadata: {},
    AutomationExecution: {
      AutomationExecutionId: EXECUTION,
      DocumentName: 'SelfHeal-cleanup-directory',
      AutomationExecutionStatus: status,
      ...(status === 'Failed' ? { FailureMessage: FAILURE } : {}),
    },
  };
}

/** In-memory engine ports with the real SSM adapter on the mocked client. */
function depsOnSsm(): { deps: EngineDeps; fakes: TestDeps } {
  const fakes = testDeps();
  const automation = new SsmAutomation(new SSMClient({ region: 'us-east-1' }));
  return { deps: { ...fakes, automation }, fakes };
}

const reads = () => ssm.commandCalls(GetAutomationExecutionCommand).length;

describe('an automation found failed by a status read', () => {
  beforeEach(() => {
    ssm.reset();
    ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: EXECUTION });
  });

  it('is escalated by the alarm handler with one GetAutomationExecution for status and evidence', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(answer('Failed'));
    const { deps, fakes } = depsOnSsm();

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(result).toMatchObject({ outcome: 'verificationFailed', escalation: { kind: 'automationFailed' } });
    expect(reads()).toBe(1);
    expect(evidenceOf(fakes.escalator.notifications[0]).automation).toMatchObject({
      executionId: EXECUTION,
      AutomationExecutionStatus: 'Failed',
      FailureMessage: FAILURE,
    });
  });

  it("is escalated on the alarm's OK with one GetAutomationExecution for status and evidence", async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(answer('InProgress'));
    const { deps, fakes } = depsOnSsm();
    await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    const before = reads();
    ssm.on(GetAutomationExecutionCommand).resolves(answer('Failed'));

    const result = await handleAlarmOk(alarmOnInstance('evt-ok', INSTANCE, 'OK'), deps);

    expect(result).toMatchObject({ outcome: 'verificationFailed', escalation: { kind: 'automationFailed' } });
    expect(reads() - before).toBe(1);
    expect(evidenceOf(fakes.escalator.notifications[0]).automation?.FailureMessage).toBe(FAILURE);
  });

  it('is escalated by the deadline sweep with one GetAutomationExecution for status and evidence', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(answer('InProgress'));
    const { deps, fakes } = depsOnSsm();
    await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
    const before = reads();
    ssm.on(GetAutomationExecutionCommand).resolves(answer('Failed'));
    fakes.clock.advance(601);

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.results[0]).toMatchObject({ escalation: { kind: 'automationFailed' } });
    expect(reads() - before).toBe(1);
    expect(evidenceOf(fakes.escalator.notifications[0]).automation?.FailureMessage).toBe(FAILURE);
  });
});
