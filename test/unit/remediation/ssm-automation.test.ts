/**
 * The SSM adapter's status read (GetAutomationExecution): the exact input, the status as SSM
 * names it with the execution from the same answer, no such execution as undefined, and an answer without a known status as an error
 * naming the field and the value.
 */
import {
  AutomationExecutionNotFoundException,
  type AutomationExecutionStatus,
  GetAutomationExecutionCommand,
  type GetAutomationExecutionCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SsmAutomation, UnexpectedAutomationStatusError } from '../../../lambdas/adapters/ssm-automation';

const ssm = mockClient(SSMClient);
const ID = '333ba70b-2333-48db-b17e-a5e69c6f4d1c';
const runner = () => new SsmAutomation(new SSMClient({ region: 'us-east-1' }));

describe('SsmAutomation.statusOf', () => {
  beforeEach(() => ssm.reset());

  it.each(['InProgress', 'Success', 'Failed', 'TimedOut', 'Cancelled', 'CompletedWithFailure'] as const)(
    'returns %s as GetAutomationExecution reports it',
    async (status) => {
      ssm
        .on(GetAutomationExecutionCommand)
        .resolves({ AutomationExecution: { AutomationExecutionId: ID, AutomationExecutionStatus: status } });

      expect(await runner().statusOf(ID)).toEqual({
        status,
        execution: { AutomationExecutionStatus: status },
      });
      expect(ssm.commandCalls(GetAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([
        { AutomationExecutionId: ID },
      ]);
    },
  );

  it('passes on the execution from the same answer, for an escalation that follows the read', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: {
        AutomationExecutionId: ID,
        DocumentName: 'SelfHeal-restart-service',
        AutomationExecutionStatus: 'Failed',
        FailureMessage: 'Command failed with status Failed.',
        Outputs: { 'RestartService.Output': ['failed'] },
        StepExecutions: [{ StepName: 'RestartService', Action: 'aws:runCommand', StepStatus: 'Failed' }],
      },
    });

    expect(await runner().statusOf(ID)).toEqual({
      status: 'Failed',
      execution: {
        AutomationExecutionStatus: 'Failed',
        FailureMessage: 'Command failed with status Failed.',
        Outputs: { 'RestartService.Output': ['failed'] },
        StepExecutions: [{ StepName: 'RestartService', Action: 'aws:runCommand', StepStatus: 'Failed' }],
      },
    });
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(1);
  });

  it('returns undefined for an execution SSM does not know', async () => {
    ssm
      .on(GetAutomationExecutionCommand)
      .rejects(new AutomationExecutionNotFoundException({ message: 'not found', $metadata: {} }));

    expect(await runner().statusOf(ID)).toBeUndefined();
  });

  // A status added to SSM after this release, and answers without one.
  const paused = 'Paused' as string as AutomationExecutionStatus;
  it.each<[Partial<GetAutomationExecutionCommandOutput>, string]>([
    [{ AutomationExecution: { AutomationExecutionStatus: paused } }, '"Paused"'],
    [{ AutomationExecution: {} }, 'undefined'],
    [{}, 'undefined'],
  ])('fails when the answer carries no known status (%j)', async (answer, shown) => {
    ssm.on(GetAutomationExecutionCommand).resolves(answer);

    const read = runner().statusOf(ID);

    await expect(read).rejects.toBeInstanceOf(UnexpectedAutomationStatusError);
    await expect(read).rejects.toThrow(
      `GetAutomationExecution of ${ID} returned AutomationExecution.AutomationExecutionStatus ${shown}; expected one of Pending, InProgress`,
    );
  });

  it('passes other errors on (the engine says the status could not be read)', async () => {
    ssm.on(GetAutomationExecutionCommand).rejects(new Error('AccessDeniedException'));

    await expect(runner().statusOf(ID)).rejects.toThrow('AccessDeniedException');
  });
});
