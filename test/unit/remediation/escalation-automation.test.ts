/**
 * The automation in an escalation's evidence (./escalation-automation): the console link for the
 * alarm's region, the execution summarised in GetAutomationExecution's field names and fitted to
 * its byte budget saying what it left out, a read that fails or finds nothing said instead, and
 * the lines the SNS message and the OpsItem description show.
 */
import { describe, expect, it } from 'vitest';
import type {
  AutomationExecutionDetails,
  AutomationRunner,
} from '../../../lambdas/core/remediation/engine-ports';
import { buildEvidence, type EscalationKind } from '../../../lambdas/core/remediation/escalation';
import {
  AUTOMATION_SUMMARY_MAX_BYTES,
  automationEvidenceFor,
  executionConsoleUrl,
  summariseExecution,
} from '../../../lambdas/core/remediation/escalation-automation';
import { automationLines } from '../../../lambdas/core/remediation/escalation-automation-lines';
import {
  OPERATIONAL_DATA_MAX_BYTES,
  sizeOf,
} from '../../../lambdas/core/remediation/escalation-operational-data';
import {
  MAX_DESCRIPTION_CHARS,
  notificationFor,
  opsItemFor,
} from '../../../lambdas/core/remediation/escalation-render';
import { evidenceOf, throttled } from './engine-deps';
import { NOW, newRemediation } from './ledger-fixtures';

const ID = '333ba70b-2333-48db-b17e-a5e69c6f4d1c';
const ALARM_ARN = 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:disk-full-web-1';
const URL = `https://eu-central-1.console.aws.amazon.com/systems-manager/automation/execution/${ID}?region=eu-central-1`;
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

/** A cleanup-directory run whose one step failed (find could not delete some files). */
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

/** A cleanup-directory run that succeeded, its output the step's JSON line. */
const CLEANED = '{"directory":"/var/log/app","deletedFiles":12,"freedBytes":734003200,"failedFiles":0}';
const SUCCEEDED = {
  AutomationExecutionStatus: 'Success',
  Outputs: { 'CleanUp.Output': [CLEANED] },
  StepExecutions: [{ StepName: 'CleanUp', Action: 'aws:runCommand', StepStatus: 'Success' }],
} satisfies AutomationExecutionDetails;

/** A runner that answers `readExecution` only (the other calls are not made here). */
function reader(answer: () => Promise<AutomationExecutionDetails | undefined>) {
  const reads: string[] = [];
  const runner = {
    readExecution: async (id: string) => {
      reads.push(id);
      return answer();
    },
  } as unknown as AutomationRunner;
  return { runner, reads };
}

const record = { executionId: ID, alarmArn: ALARM_ARN };

describe('executionConsoleUrl', () => {
  it.each([
    [ALARM_ARN, URL],
    [
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a',
      `https://us-east-1.console.aws.amazon.com/systems-manager/automation/execution/${ID}?region=us-east-1`,
    ],
    [undefined, undefined],
    ['arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:a', undefined],
    ['not an arn', undefined],
  ])('links %s to %s', (arn, url) => {
    expect(executionConsoleUrl(ID, arn)).toBe(url);
  });
});

describe('automationEvidenceFor', () => {
  it('reads the execution once for a failed automation and summarises it in the API’s field names', async () => {
    const { runner, reads } = reader(async () => FAILED);

    const { automation } = await automationEvidenceFor('automationFailed', record, runner);

    expect(reads).toEqual([ID]);
    expect(automation).toEqual({ executionId: ID, consoleUrl: URL, ...FAILED });
  });

  it('keeps the outputs of a successful automation whose verification failed', async () => {
    const { runner } = reader(async () => SUCCEEDED);

    const { automation } = await automationEvidenceFor('verificationFailed', record, runner);

    expect(automation?.Outputs).toEqual({ 'CleanUp.Output': [CLEANED] });
  });

  it.each<EscalationKind>([
    'frequencyLimit',
    'errorBudget',
    'ruleDefect',
    'startFailed',
    'blocked',
    'untrackedExecution',
    'observed',
  ])('reads nothing for a %s escalation', async (kind) => {
    const { runner, reads } = reader(async () => FAILED);

    expect(await automationEvidenceFor(kind, record, runner)).toEqual({});
    expect(reads).toEqual([]);
  });

  it('reads nothing for a remediation without an execution', async () => {
    const { runner, reads } = reader(async () => FAILED);

    expect(await automationEvidenceFor('verificationFailed', { alarmArn: ALARM_ARN }, runner)).toEqual({});
    expect(reads).toEqual([]);
  });

  it('says why when the execution cannot be read, and still links it', async () => {
    const { runner } = reader(() => Promise.reject(throttled()));

    expect(await automationEvidenceFor('automationFailed', record, runner)).toEqual({
      automation: {
        executionId: ID,
        consoleUrl: URL,
        notRead: 'GetAutomationExecution failed: ThrottlingException: Rate exceeded',
      },
    });
  });

  it('says so when SSM knows no such execution', async () => {
    const { runner } = reader(async () => undefined);

    const { automation } = await automationEvidenceFor('automationFailed', record, runner);

    expect(automation?.notRead).toBe(`SSM knows no execution ${ID}`);
  });
});

describe('summariseExecution', () => {
  const base = { executionId: ID, consoleUrl: URL };

  it('leaves out what does not fit, the failed step kept, and says what it left out', () => {
    const big = 'x'.repeat(3000);
    const details: AutomationExecutionDetails = {
      AutomationExecutionStatus: 'Failed',
      FailureMessage: big,
      Outputs: { 'CleanUp.Output': [big, big] },
      StepExecutions: [
        ...Array.from({ length: 12 }, (_, i) => ({
          StepName: `step${i}`,
          Action: 'aws:executeScript',
          StepStatus: 'Success',
          Outputs: { Output: [big] },
        })),
        { StepName: 'broken', Action: 'aws:runCommand', StepStatus: 'Failed', FailureMessage: big },
      ],
    };

    const s = summariseExecution(base, details);

    expect(bytes(s)).toBeLessThanOrEqual(AUTOMATION_SUMMARY_MAX_BYTES);
    expect(s.FailureMessage).toBe(`${'x'.repeat(500)}… [2500 more characters]`);
    expect(s.Outputs).toEqual({
      'CleanUp.Output': [
        `${'x'.repeat(200)}… [2800 more characters]`,
        `${'x'.repeat(200)}… [2800 more characters]`,
      ],
    });
    expect(s.StepExecutions?.map((x) => x.StepName)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `step${i + 3}`),
      'broken',
    ]);
    expect(s.leftOut).toEqual([
      'the Outputs of the steps that succeeded',
      "every step's Outputs and FailureDetails.Details",
      '3 of the 13 steps (succeeded ones first)',
    ]);
  });

  it('fits even texts made of characters JSON escapes, keeping the status and the link', () => {
    const control = '\u0001'.repeat(5000);
    const s = summariseExecution(base, {
      AutomationExecutionStatus: 'Failed',
      FailureMessage: control,
      StepExecutions: Array.from({ length: 10 }, () => ({
        StepName: control,
        StepStatus: 'Failed',
        FailureMessage: control,
      })),
    });

    expect(bytes(s)).toBeLessThanOrEqual(AUTOMATION_SUMMARY_MAX_BYTES);
    expect(s).toMatchObject({ executionId: ID, consoleUrl: URL, AutomationExecutionStatus: 'Failed' });
    expect(s.leftOut).toContain('the FailureMessage and every step');
  });

  it('keeps StepExecutionsTruncated when SSM did not list every step', () => {
    expect(
      summariseExecution(base, { ...FAILED, StepExecutionsTruncated: true }).StepExecutionsTruncated,
    ).toBe(true);
    expect(summariseExecution(base, { ...FAILED, StepExecutionsTruncated: false })).not.toHaveProperty(
      'StepExecutionsTruncated',
    );
  });
});

describe('automationLines', () => {
  it('says how it ended, each step that did not succeed with its failure, and links the console', () => {
    expect(automationLines({ executionId: ID, consoleUrl: URL, ...FAILED })).toEqual([
      `Automation ${ID}: Failed: Step fails when it is Poll action status for runCommand. Command failed with status Failed.`,
      'Step CleanUp (aws:runCommand) Failed [Invocation/Action]: Command failed with status Failed.; outputs: Status=Failed; ResponseCode=1',
      `Automation console: ${URL}`,
    ]);
  });

  it("shows a successful automation's outputs", () => {
    expect(automationLines({ executionId: ID, consoleUrl: URL, ...SUCCEEDED })).toContain(
      `Automation outputs: CleanUp.Output=${CLEANED}`,
    );
  });

  it('says the execution could not be read, and that there is no link without a region', () => {
    expect(automationLines({ executionId: ID, notRead: 'GetAutomationExecution failed: x' })).toEqual([
      `Automation ${ID}: its execution could not be read (GetAutomationExecution failed: x)`,
      'Automation console: no link (the record names no alarm ARN of the aws partition to take the region from)',
    ]);
  });

  it('keeps each line to one line of at most 400 characters', () => {
    const lines = automationLines({
      executionId: ID,
      AutomationExecutionStatus: 'Failed',
      FailureMessage: `a\nb${'c'.repeat(900)}`,
    });

    expect(lines[0]?.startsWith(`Automation ${ID}: Failed: a b`)).toBe(true);
    expect(lines[0]?.length).toBe(400);
    expect(lines[0]?.endsWith('…')).toBe(true);
  });
});

describe('an escalation with its automation', () => {
  const evidence = (automation: Parameters<typeof buildEvidence>[0]['automation'], earlier = 0) =>
    buildEvidence({
      kind: 'automationFailed',
      reason: `automation ${ID} ended Failed`,
      remediation: {
        ...newRemediation('rem-1', { executionId: ID, alarmArn: ALARM_ARN }),
        state: 'failed',
        stateTimes: { started: NOW - 600, verifying: NOW - 599 },
      },
      alarm: { name: 'disk-full-web-1', arn: ALARM_ARN },
      actions: Array.from({ length: earlier }, (_, i) => ({
        remediationId: `rem-${'0'.repeat(30)}${i}`,
        state: 'resolved' as const,
        atSec: NOW - 3600 * (i + 1),
        documentName: 'selfheal-cleanup-directory',
        executionId: `${'e'.repeat(30)}${i}`,
      })),
      ...(automation === undefined ? {} : { automation }),
      ruleFrozen: false,
      nowSec: NOW,
    });

  it('carries the summary in the SNS message, its lines before the evidence', () => {
    const automation = { executionId: ID, consoleUrl: URL, ...FAILED };
    const e = evidence(automation);
    const { message } = notificationFor(e);

    expect(evidenceOf(notificationFor(e)).automation).toEqual(automation);
    expect(message).toContain(`\nAutomation console: ${URL}\n`);
    expect(message.indexOf('Step CleanUp (aws:runCommand) Failed')).toBeLessThan(
      message.indexOf('Evidence:'),
    );
  });

  it('puts it whole in the OpsItem (selfheal:automation) and its description, within their limits', () => {
    const big = 'y'.repeat(5000);
    const automation = summariseExecution(
      { executionId: ID, consoleUrl: URL },
      { ...FAILED, FailureMessage: big, Outputs: { 'CleanUp.Output': [big] } },
    );
    const e = evidence(automation, 49);
    const ops = opsItemFor(e);

    expect(JSON.parse(ops.OperationalData['selfheal:automation']?.Value ?? '')).toEqual(automation);
    expect(sizeOf(ops.OperationalData)).toBeLessThanOrEqual(OPERATIONAL_DATA_MAX_BYTES);
    expect(JSON.parse(ops.OperationalData['selfheal:actions']?.Value ?? '[]').length).toBeGreaterThan(0);
    expect(ops.Description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(ops.Description).toContain(`Automation console: ${URL}`);
    expect(ops.Description).toContain('Step CleanUp (aws:runCommand) Failed [Invocation/Action]');
  });

  it('has no automation entries when the escalation has none', () => {
    const ops = opsItemFor(evidence(undefined));

    expect(ops.OperationalData).not.toHaveProperty('selfheal:automation');
    expect(ops.Description).not.toContain('Automation');
  });
});
