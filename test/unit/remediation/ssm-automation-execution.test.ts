/**
 * The SSM adapter's execution read for an escalation's evidence (GetAutomationExecution): the
 * exact input, the fields the evidence uses taken from the published response shape (and nothing
 * else), no such execution as undefined, an answer without an execution as an error naming the
 * field, and a call SSM does not answer aborted after its timeout.
 */
import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type GetAutomationExecutionCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SsmAutomation } from '../../../lambdas/adapters/ssm-automation';
import {
  ExecutionReadTimeoutError,
  MissingAutomationExecutionError,
} from '../../../lambdas/adapters/ssm-automation-execution';

const ssm = mockClient(SSMClient);
const ID = '333ba70b-2333-48db-b17e-a5e69c6f4d1c';
const runner = (timeoutMs?: number) => new SsmAutomation(new SSMClient({ region: 'us-east-1' }), timeoutMs);

/**
 * A restart-service execution whose first step failed, in GetAutomationExecution's published
 * response shape (API_GetAutomationExecution, API_StepExecution, API_FailureDetails), with fields
 * the evidence does not use (document, times, parameters, inputs, …).
 */
const FAILED: GetAutomationExecutionCommandOutput = {
  $metadata: {},
  AutomationExecution: {
    AutomationExecutionId: ID,
    DocumentName: 'SelfHeal-restart-service',
    DocumentVersion: '1',
    ExecutionStartTime: new Date('2026-11-27T03:13:00Z'),
    ExecutionEndTime: new Date('2026-11-27T03:14:10Z'),
    AutomationExecutionStatus: 'Failed',
    FailureMessage:
      'Step fails when it is Poll action status for runCommand. Command failed with status Failed.',
    Parameters: { InstanceId: ['i-0abc123def4567890'], ServiceName: ['nginx'] },
    Outputs: {
      'VerifyServiceActive.Output': ['No output available yet because the step is not successfully executed'],
    },
    Mode: 'Auto',
    ExecutedBy: 'arn:aws:sts::123456789012:assumed-role/SelfHeal-RemediationAutomation/session',
    CurrentStepName: 'RestartService',
    CurrentAction: 'aws:runCommand',
    StepExecutionsTruncated: false,
    StepExecutions: [
      {
        StepName: 'RestartService',
        Action: 'aws:runCommand',
        TimeoutSeconds: 300,
        OnFailure: 'Abort',
        MaxAttempts: 1,
        ExecutionStartTime: new Date('2026-11-27T03:13:01Z'),
        ExecutionEndTime: new Date('2026-11-27T03:14:10Z'),
        StepStatus: 'Failed',
        Inputs: { DocumentName: '"AWS-RunShellScript"' },
        Outputs: {
          CommandId: ['0b0bd1b4-50a7-4b3f-8b2e-0c7c5b1d2f11'],
          Status: ['Failed'],
          ResponseCode: ['1'],
        },
        FailureMessage:
          'Step fails when it is Poll action status for runCommand. Command failed with status Failed.',
        FailureDetails: { FailureStage: 'Invocation', FailureType: 'Action' },
        StepExecutionId: '6c1b1e8e-2a35-4bd1-9c1e-8f0e9a6d4a21',
        IsEnd: false,
        IsCritical: true,
        NextStep: 'VerifyServiceActive',
      },
    ],
  },
};

describe('SsmAutomation.readExecution', () => {
  beforeEach(() => ssm.reset());

  it('sends one GetAutomationExecution and returns the fields the evidence uses, in the API’s names', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(FAILED);

    const details = await runner().readExecution(ID);

    expect(ssm.commandCalls(GetAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { AutomationExecutionId: ID },
    ]);
    expect(details).toEqual({
      AutomationExecutionStatus: 'Failed',
      FailureMessage:
        'Step fails when it is Poll action status for runCommand. Command failed with status Failed.',
      Outputs: {
        'VerifyServiceActive.Output': [
          'No output available yet because the step is not successfully executed',
        ],
      },
      StepExecutionsTruncated: false,
      StepExecutions: [
        {
          StepName: 'RestartService',
          Action: 'aws:runCommand',
          StepStatus: 'Failed',
          Outputs: {
            CommandId: ['0b0bd1b4-50a7-4b3f-8b2e-0c7c5b1d2f11'],
            Status: ['Failed'],
            ResponseCode: ['1'],
          },
          FailureMessage:
            'Step fails when it is Poll action status for runCommand. Command failed with status Failed.',
          FailureDetails: { FailureStage: 'Invocation', FailureType: 'Action' },
        },
      ],
    });
  });

  it('keeps FailureDetails.Details, a string to array of strings map', async () => {
    const step = {
      StepName: 'CleanUp',
      StepStatus: 'Failed' as const,
      FailureDetails: { Details: { k: ['v1', 'v2'] } },
    };
    ssm.on(GetAutomationExecutionCommand).resolves({ AutomationExecution: { StepExecutions: [step] } });

    expect(await runner().readExecution(ID)).toEqual({ StepExecutions: [step] });
  });

  it('returns undefined for an execution SSM does not know', async () => {
    ssm
      .on(GetAutomationExecutionCommand)
      .rejects(new AutomationExecutionNotFoundException({ message: 'not found', $metadata: {} }));

    expect(await runner().readExecution(ID)).toBeUndefined();
  });

  it('fails naming the field when the answer carries no AutomationExecution', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves({});

    const read = runner().readExecution(ID);

    await expect(read).rejects.toBeInstanceOf(MissingAutomationExecutionError);
    await expect(read).rejects.toThrow(`GetAutomationExecution of ${ID} returned no AutomationExecution`);
  });

  it('passes other errors on (the evidence says why the execution could not be read)', async () => {
    ssm.on(GetAutomationExecutionCommand).rejects(new Error('AccessDeniedException'));

    await expect(runner().readExecution(ID)).rejects.toThrow('AccessDeniedException');
  });

  it('aborts a call SSM does not answer after its timeout, and says so', async () => {
    ssm.on(GetAutomationExecutionCommand).callsFake(() => new Promise(() => {}));
    const started = Date.now();

    const read = runner(50).readExecution(ID);

    await expect(read).rejects.toBeInstanceOf(ExecutionReadTimeoutError);
    await expect(read).rejects.toThrow(`GetAutomationExecution of ${ID} did not answer within 50 ms`);
    expect(Date.now() - started).toBeLessThan(2_000);
    const signal = ((ssm.call(0).args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined)
      ?.abortSignal;
    expect(signal?.aborted).toBe(true);
  });
});
