/**
 * An escalation about an automation carries what SSM says about its execution, read once: the
 * failure and the failed step of one that ended without success, the outputs of one whose fix did
 * not bring the alarm back, and the console link for the alarm's region. A read that fails is
 * said in the evidence and never holds the escalation back. The in-memory ports stand for SSM.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type { AutomationExecutionDetails } from '../../../lambdas/core/remediation/engine-ports';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import {
  alarmOnInstance,
  automationStatus,
  evidenceOf,
  type TestDeps,
  testDeps,
  throttled,
} from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';

/** The console link of `executionId` in the example alarm's region (its ARN: us-east-1). */
const consoleUrl = (executionId: string) =>
  `https://us-east-1.console.aws.amazon.com/systems-manager/automation/execution/${executionId}?region=us-east-1`;

const FAILED = {
  AutomationExecutionStatus: 'Failed',
  FailureMessage:
    'Step fails when it is Poll action status for runCommand. Command failed with status Failed.',
  StepExecutions: [
    {
      StepName: 'CleanUp',
      Action: 'aws:runCommand',
      StepStatus: 'Failed',
      FailureMessage: 'Command failed with status Failed.',
      FailureDetails: { FailureStage: 'Invocation', FailureType: 'Action' },
      Outputs: { Status: ['Failed'], ResponseCode: ['1'] },
    },
  ],
} satisfies AutomationExecutionDetails;

const CLEANED = '{"directory":"/var/log/app","deletedFiles":0,"freedBytes":0,"failedFiles":0}';

/** Starts the disk rule's remediation of the example instance; its execution id. */
async function start(deps: TestDeps): Promise<string> {
  const started = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
  if (started.executionId === undefined) throw new Error(`did not start: ${started.reason}`);
  return started.executionId;
}

describe('the evidence of an escalation about an automation', () => {
  it("carries a failed automation's failure, failed step and console link, read once", async () => {
    const deps = testDeps();
    const executionId = await start(deps);
    deps.automation.statuses.set(executionId, 'Failed');
    deps.automation.executions.set(executionId, FAILED);

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Failed', executionId), deps);

    expect(result.outcome).toBe('verificationFailed');
    expect(deps.automation.executionReads).toEqual([executionId]);
    const [notification] = deps.escalator.notifications;
    expect(evidenceOf(notification).automation).toEqual({
      executionId,
      consoleUrl: consoleUrl(executionId),
      ...FAILED,
    });
    expect(notification?.message).toContain(
      'Step CleanUp (aws:runCommand) Failed [Invocation/Action]: Command failed with status Failed.',
    );
    const [ops] = deps.escalator.opsItems;
    expect(ops?.Description).toContain(`Automation console: ${consoleUrl(executionId)}`);
    expect(JSON.parse(ops?.OperationalData['selfheal:automation']?.Value ?? '{}')).toMatchObject({
      AutomationExecutionStatus: 'Failed',
      FailureMessage: FAILED.FailureMessage,
    });
  });

  it('says why the execution could not be read, and escalates all the same', async () => {
    const deps = testDeps();
    const executionId = await start(deps);
    deps.automation.executionFails = throttled();

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'TimedOut', executionId), deps);

    expect(result).toMatchObject({ outcome: 'verificationFailed', escalation: { snsMessageId: 'msg-1' } });
    expect(deps.automation.executionReads).toEqual([executionId]);
    expect(evidenceOf(deps.escalator.notifications[0]).automation).toEqual({
      executionId,
      consoleUrl: consoleUrl(executionId),
      notRead: 'GetAutomationExecution failed: ThrottlingException: Rate exceeded',
    });
    expect(deps.escalator.notifications[0]?.message).toContain(
      `Automation ${executionId}: its execution could not be read (GetAutomationExecution failed: ThrottlingException: Rate exceeded)`,
    );
    expect(deps.escalator.opsItems).toHaveLength(1);
  });

  it("carries a successful automation's outputs when the alarm is still in ALARM at the deadline", async () => {
    const deps = testDeps();
    const executionId = await start(deps);
    deps.automation.executions.set(executionId, {
      AutomationExecutionStatus: 'Success',
      Outputs: { 'CleanUp.Output': [CLEANED] },
      StepExecutions: [{ StepName: 'CleanUp', Action: 'aws:runCommand', StepStatus: 'Success' }],
    });
    deps.clock.advance(24 * 3600);

    const result = await handleAutomationEvent(automationStatus('ssm-1', 'Success', executionId), deps);

    expect(result.outcome).toBe('verificationFailed');
    expect(evidenceOf(deps.escalator.notifications[0]).automation?.Outputs).toEqual({
      'CleanUp.Output': [CLEANED],
    });
    expect(deps.escalator.notifications[0]?.message).toContain(
      `Automation outputs: CleanUp.Output=${CLEANED}`,
    );
  });

  it("carries the execution in the deadline sweep's escalation", async () => {
    const deps = testDeps();
    const executionId = await start(deps);
    deps.automation.statuses.set(executionId, 'Failed');
    deps.automation.executions.set(executionId, FAILED);
    deps.clock.advance(24 * 3600);

    const summary = await sweepDeadlines(deps, 'sweep-1');

    expect(summary.escalated).toBe(1);
    expect(evidenceOf(deps.escalator.notifications[0]).automation?.FailureMessage).toBe(
      FAILED.FailureMessage,
    );
  });

  it('carries it again when an undelivered escalation is re-sent', async () => {
    const deps = testDeps();
    const executionId = await start(deps);
    deps.automation.executions.set(executionId, FAILED);
    deps.escalator.snsFails = true;
    const event = automationStatus('ssm-1', 'Failed', executionId);
    await expect(handleAutomationEvent(event, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;

    const resent = await handleAutomationEvent(event, deps);

    expect(resent.outcome).toBe('escalated');
    expect(evidenceOf(deps.escalator.notifications[0]).automation).toMatchObject({
      executionId,
      consoleUrl: consoleUrl(executionId),
      AutomationExecutionStatus: 'Failed',
    });
  });
});
