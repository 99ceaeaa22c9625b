/**
 * The verification handler's escalation of a failed automation reads the execution once
 * (GetAutomationExecution) and puts what SSM says into the SNS message and the OpsItem, with the
 * execution's console link in the alarm's region; an execution it cannot read is said, and the
 * escalation still goes. DynamoDB runs on moto, SSM (whose automation executions moto does not
 * implement) and SNS are mocked.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  CreateOpsItemCommand,
  GetAutomationExecutionCommand,
  type GetAutomationExecutionCommandOutput,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockRemediationAws, OPS_ITEM_ID, SNS_MESSAGE_ID, useMotoSuite } from './remediation-mocks';
import {
  alarmEvent,
  automationEvent,
  context,
  DISK_RULE,
  EXECUTION_ID,
  type Loaded,
  loadHandlers,
  requireMoto,
  withRules,
} from './remediation-setup';
import { accessDenied } from './ssm-errors';

const aws = mockRemediationAws();
const { ssm, sns } = aws;

const run = requireMoto();

/** The execution in the console of the example alarm's region (its ARN names us-east-1). */
const CONSOLE = `https://us-east-1.console.aws.amazon.com/systems-manager/automation/execution/${EXECUTION_ID}?region=us-east-1`;

const MESSAGE = 'Step fails when it is Poll action status for runCommand. Command failed with status Failed.';

/** A cleanup-directory execution whose step failed, in GetAutomationExecution's published shape. */
const FAILED: GetAutomationExecutionCommandOutput = {
  $metadata: {},
  AutomationExecution: {
    AutomationExecutionId: EXECUTION_ID,
    DocumentName: 'SelfHeal-CleanupDirectory',
    DocumentVersion: '1',
    ExecutionStartTime: new Date('2026-11-27T03:13:01Z'),
    ExecutionEndTime: new Date('2026-11-27T03:15:40Z'),
    AutomationExecutionStatus: 'Failed',
    FailureMessage: MESSAGE,
    Outputs: { 'CleanUp.Output': ['No output available yet because the step is not successfully executed'] },
    Parameters: { InstanceId: ['i-0abc123def4567890'], Directory: ['/var/log/app/'], OlderThanDays: ['7'] },
    Mode: 'Auto',
    StepExecutionsTruncated: false,
    StepExecutions: [
      {
        StepName: 'CleanUp',
        Action: 'aws:runCommand',
        TimeoutSeconds: 900,
        OnFailure: 'Abort',
        StepStatus: 'Failed',
        Outputs: { Status: ['Failed'], ResponseCode: ['1'] },
        FailureMessage: MESSAGE,
        FailureDetails: { FailureStage: 'Invocation', FailureType: 'Action' },
        IsEnd: true,
      },
    ],
  },
};

describe.runIf(run)('remediation verification handler: the evidence of a failed automation', () => {
  const moto = useMotoSuite(aws);
  let h: Loaded;
  beforeEach(async () => {
    h = await loadHandlers(moto(), withRules(DISK_RULE));
    await h.alarm(alarmEvent('evt-1'), context);
    // The start's own status read (InProgress) is not the escalation's.
    ssm.resetHistory();
  });

  it('reads the execution once and sends its failure, failed step and console link', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(FAILED);

    const result = await h.verify(automationEvent('ssm-1', 'Failed'), context);

    expect(result).toMatchObject({
      outcome: 'verificationFailed',
      escalation: { opsItemId: OPS_ITEM_ID, snsMessageId: SNS_MESSAGE_ID },
    });
    expect(ssm.commandCalls(GetAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { AutomationExecutionId: EXECUTION_ID },
    ]);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(message).toContain(`Automation ${EXECUTION_ID}: Failed: ${MESSAGE}`);
    expect(message).toContain(`Step CleanUp (aws:runCommand) Failed [Invocation/Action]: ${MESSAGE}`);
    expect(message).toContain(`Automation console: ${CONSOLE}`);
    const ops = ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input;
    expect(ops?.Description).toContain(`Automation console: ${CONSOLE}`);
    expect(JSON.parse(ops?.OperationalData?.['selfheal:automation']?.Value ?? '{}')).toEqual({
      executionId: EXECUTION_ID,
      consoleUrl: CONSOLE,
      AutomationExecutionStatus: 'Failed',
      FailureMessage: MESSAGE,
      Outputs: {
        'CleanUp.Output': ['No output available yet because the step is not successfully executed'],
      },
      StepExecutions: [
        {
          StepName: 'CleanUp',
          Action: 'aws:runCommand',
          StepStatus: 'Failed',
          FailureMessage: MESSAGE,
          FailureDetails: { FailureStage: 'Invocation', FailureType: 'Action' },
          Outputs: { Status: ['Failed'], ResponseCode: ['1'] },
        },
      ],
    });
  });

  it('says the execution could not be read, and escalates all the same', async () => {
    ssm.on(GetAutomationExecutionCommand).rejects(accessDenied());

    const result = await h.verify(automationEvent('ssm-1', 'Failed'), context);

    expect(result).toMatchObject({
      outcome: 'verificationFailed',
      escalation: { opsItemId: OPS_ITEM_ID, snsMessageId: SNS_MESSAGE_ID },
    });
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(1);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(message).toMatch(
      new RegExp(
        `Automation ${EXECUTION_ID}: its execution could not be read \\(GetAutomationExecution failed: AccessDeniedException: `,
      ),
    );
    expect(message).toContain(`Automation console: ${CONSOLE}`);
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'failed' });
  });
});
