import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  CreateOpsItemCommand,
  GetAutomationExecutionCommand,
  GetOpsItemCommand,
  OpsItemAlreadyExistsException,
  StartAutomationExecutionCommand,
  UpdateOpsItemCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { clientTokenFor } from '../../lambdas/core/remediation/automation-request';
import {
  CLAIM_LEASE_MARGIN_SEC,
  claimLeaseSec,
  EVENT_CLAIM_SEC,
  newClaim,
} from '../../lambdas/core/remediation/event-claim';
import { emitted, outputOf } from './emf-capture';
import { mockRemediationAws, OPS_ITEM_ID, useMotoSuite } from './remediation-mocks';
import {
  ALARM,
  alarmEvent,
  alarmOn,
  context,
  DISK_RULE,
  EXECUTION_ID,
  INSTANCE,
  loadHandlers,
  ROLE_ARN,
  rawEvent,
  requireMoto,
  TOPIC_ARN,
  withRules,
} from './remediation-setup';
import { invalidParameters, throttled } from './ssm-errors';

const aws = mockRemediationAws();
const { ssm, sns, asg, cw } = aws;

const run = requireMoto();

describe.runIf(run)('remediation alarm handler', () => {
  const moto = useMotoSuite(aws);

  it('starts the rule document with the exact input, ClientToken and assume role, then verifies', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const result = await h.alarm(alarmEvent('evt-1'), context);
    expect(result).toMatchObject({
      outcome: 'started',
      executionId: EXECUTION_ID,
      ruleId: 'disk-full-cleanup',
    });
    expect(ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([
      {
        DocumentName: 'SelfHeal-CleanupDirectory',
        Parameters: {
          InstanceId: [INSTANCE],
          Directory: ['/var/log/app/'],
          OlderThanDays: ['7'],
          AutomationAssumeRole: [ROLE_ARN],
        },
        ClientToken: clientTokenFor('evt-1'),
        Tags: [
          { Key: 'selfheal:rule', Value: 'disk-full-cleanup' },
          { Key: 'selfheal:resource', Value: INSTANCE },
          { Key: 'selfheal:event', Value: 'evt-1' },
        ],
      },
    ]);
    expect(asg.commandCalls(DescribeAutoScalingInstancesCommand)[0]?.args[0].input).toEqual({
      InstanceIds: [INSTANCE],
    });
    const record = await h.ledger.getRemediation('rem-evt-1');
    expect(record).toMatchObject({
      state: 'verifying',
      executionId: EXECUTION_ID,
      deadlineSec: Date.now() / 1000 + 600,
    });
    expect(record?.verdicts.map((v) => v.outcome)).toEqual(Array(9).fill('pass'));
  });

  it('reads the status of the execution it recorded and escalates one that already failed as a failed automation', async () => {
    // SSM ended the execution before the handler recorded its id: its status event found nothing.
    ssm.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: { AutomationExecutionId: EXECUTION_ID, AutomationExecutionStatus: 'Failed' },
    });
    const h = await loadHandlers(moto(), withRules(DISK_RULE));

    const result = await h.alarm(alarmEvent('evt-1'), context);

    // One read: the status read's answer is also the escalation's evidence.
    expect(ssm.commandCalls(GetAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { AutomationExecutionId: EXECUTION_ID },
    ]);
    expect(result).toMatchObject({
      outcome: 'verificationFailed',
      executionId: EXECUTION_ID,
      escalation: { kind: 'automationFailed', snsMessageId: 'msg-1', opsItemId: OPS_ITEM_ID },
    });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(
      `Automation ${EXECUTION_ID}: Failed`,
    );
    expect(result.reason).toContain(`it had already ended: automation ${EXECUTION_ID} ended Failed`);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toBe(
      `selfheal: disk-full-cleanup on ${INSTANCE}: automation did not succeed`,
    );
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({
      state: 'failed',
      executionId: EXECUTION_ID,
    });
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
  });

  it('resolves an execution that already succeeded once the alarm it reads is OK (needs DescribeAlarms)', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves({
      AutomationExecution: { AutomationExecutionId: EXECUTION_ID, AutomationExecutionStatus: 'Success' },
    });
    aws.alarmIs('OK');
    const h = await loadHandlers(moto(), withRules(DISK_RULE));

    const result = await h.alarm(alarmEvent('evt-1'), context);

    // The alarm handler reads the alarm here: test/infra/remediation-iam.test.ts holds its grant.
    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames)).toEqual([[ALARM]]);
    expect(result).toMatchObject({ outcome: 'resolved', recoveredState: 'OK', executionId: EXECUTION_ID });
    expect(await h.ledger.getRemediation('rem-evt-1')).toMatchObject({ state: 'resolved' });
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
  });

  it('starts once when the same event is delivered twice', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const first = await h.alarm(alarmEvent('evt-dup'), context);
    const second = await h.alarm(alarmEvent('evt-dup'), context);
    expect([first.outcome, second.outcome]).toEqual(['started', 'duplicate']);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);
  });

  it('records a throttled first start as blocked, paging nobody and freeing the resource', async () => {
    ssm
      .on(StartAutomationExecutionCommand)
      .rejectsOnce(throttled())
      .resolves({ AutomationExecutionId: 'exec-2' });
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const result = await h.alarm(alarmEvent('evt-throttle'), context);
    expect(result).toMatchObject({ outcome: 'skipped' });
    expect(result.reason).toContain(
      'ssmThrottled: StartAutomationExecution refused by SSM: ThrottlingException',
    );
    expect(await h.ledger.getRemediation('rem-evt-throttle')).toMatchObject({
      state: 'blocked',
      blockedBy: 'ssmThrottled',
    });
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
    expect(
      await h.ledger.acquireResourceLock(INSTANCE, 'rem-probe', Math.floor(Date.now() / 1000) + 60),
    ).toBe(true);
  });

  it('records a start SSM refuses as failed, escalates with the dedup key and frees the resource', async () => {
    ssm
      .on(StartAutomationExecutionCommand)
      .rejectsOnce(invalidParameters())
      .resolves({ AutomationExecutionId: 'exec-2' });
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const result = await h.alarm(alarmEvent('evt-throttle'), context);
    expect(result).toMatchObject({
      outcome: 'startFailed',
      escalation: { opsItemId: OPS_ITEM_ID, snsMessageId: 'msg-1' },
    });
    const ops = ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input;
    expect(ops).toMatchObject({
      Source: 'selfheal',
      Category: 'Availability',
      Severity: '2',
      Title: `selfheal: disk-full-cleanup on ${INSTANCE}: automation could not be started`,
    });
    expect(ops?.OperationalData?.['/aws/dedup']).toEqual({
      Value: JSON.stringify({ dedupString: `selfheal:disk-full-cleanup:${INSTANCE}` }),
      Type: 'SearchableString',
    });
    expect(ops?.OperationalData?.['/aws/resources']?.Value).toContain(`alarm:${ALARM}`);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(TOPIC_ARN);
    expect(publish?.Subject).toBe(
      `selfheal: disk-full-cleanup on ${INSTANCE}: automation could not be started`,
    );
    expect(publish?.Message).toContain('InvalidAutomationExecutionParametersException');
    expect(await h.ledger.getRemediation('rem-evt-throttle')).toMatchObject({ state: 'failed' });
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
    // The lock was given back: the next alarm on the resource starts.
    expect((await h.alarm(alarmEvent('evt-after'), context)).outcome).toBe('started');
  });

  it('still publishes to SNS when the OpsItem cannot be created, and records the failure', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(invalidParameters());
    ssm.on(CreateOpsItemCommand).rejects(new Error('OpsCenter down'));
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const result = await h.alarm(alarmEvent('evt-ops'), context);
    expect(result.escalation).toMatchObject({ snsMessageId: 'msg-1', opsItemError: 'Error: OpsCenter down' });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(
      'OpsItem: could not be created',
    );
    expect((await h.ledger.getRemediation('rem-evt-ops'))?.escalation).toMatchObject({
      opsItemError: 'Error: OpsCenter down',
    });
  });

  it('counts a failed CreateOpsItem in OpsItemsFailed when SNS refuses the escalation too, the invocation failing', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(invalidParameters());
    ssm.on(CreateOpsItemCommand).rejects(throttled());
    sns.on(PublishCommand).rejects(new Error('SNS down'));
    const h = await loadHandlers(moto(), withRules(DISK_RULE), {
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    });

    const out = await outputOf(async () => {
      await expect(h.alarm(alarmEvent('evt-down'), context)).rejects.toThrow('not delivered');
    });

    expect(emitted(out, 'OpsItemsFailed').map((m) => m.value)).toEqual([1]);
    expect((await h.ledger.getRemediation('rem-evt-down'))?.escalation).toMatchObject({
      opsItemError: 'ThrottlingException: Rate exceeded',
      opsItemFailures: 1,
    });
  });

  it('adds an escalation OpsCenter deduplicated to the open OpsItem: GetOpsItem, then UpdateOpsItem under its own key', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(invalidParameters());
    ssm
      .on(CreateOpsItemCommand)
      .rejects(new OpsItemAlreadyExistsException({ message: 'open', $metadata: {}, OpsItemId: 'oi-open' }));
    ssm.on(GetOpsItemCommand).resolves({
      OpsItem: { OpsItemId: 'oi-open', Status: 'Open', Description: 'first escalation', OperationalData: {} },
    });
    ssm.on(UpdateOpsItemCommand).resolves({});
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const result = await h.alarm(alarmEvent('evt-later'), context);
    expect(result.escalation).toMatchObject({
      opsItemId: 'oi-open',
      opsItemDeduplicated: true,
      opsItemUpdated: true,
    });
    expect(ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input.Tags).toEqual([
      { Key: 'selfheal:stack', Value: 'SelfHeal' },
    ]);
    expect(ssm.commandCalls(GetOpsItemCommand).map((c) => c.args[0].input)).toEqual([
      { OpsItemId: 'oi-open' },
    ]);
    const update = ssm.commandCalls(UpdateOpsItemCommand).map((c) => c.args[0].input);
    expect(update).toHaveLength(1);
    expect(Object.keys(update[0]?.OperationalData ?? {}).sort()).toEqual([
      'selfheal:later:startFailed:rem-evt-later',
      'selfheal:laterCount',
    ]);
    expect(update[0]?.OperationalDataToDelete).toBeUndefined();
    expect(update[0]?.Description).toMatch(
      /^first escalation\nLater escalations deduplicated into this OpsItem: 1 /,
    );
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message?.split('\n')[0]).toBe(
      'OpsItem: oi-open (already open for this rule and resource; this escalation was added to it)',
    );
  });

  it('throws when SNS fails too, after recording, and a redelivery sends the escalation again', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(invalidParameters());
    ssm.on(CreateOpsItemCommand).rejects(new Error('OpsCenter down'));
    sns.on(PublishCommand).rejectsOnce(new Error('SNS down')).resolves({ MessageId: 'msg-2' });
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    await expect(h.alarm(alarmEvent('evt-lost'), context)).rejects.toThrow(
      /not delivered: SNS Error: SNS down/,
    );
    expect((await h.ledger.getRemediation('rem-evt-lost'))?.escalation).toMatchObject({
      snsError: 'Error: SNS down',
    });
    const retry = await h.alarm(alarmEvent('evt-lost'), context);
    expect(retry).toMatchObject({ outcome: 'escalated', escalation: { snsMessageId: 'msg-2' } });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);
  });

  it("escalates an InstanceId its document's allowedPattern rejects, records why, and sends no StartAutomationExecution", async () => {
    const injected = 'i-0abc; rm -rf /';
    const h = await loadHandlers(moto(), withRules(DISK_RULE));

    const result = await h.alarm(alarmOn('evt-inject', injected), context);

    const reason =
      'rule disk-full-cleanup cannot be applied to this alarm: parameters.InstanceId: resolved to "i-0abc; rm -rf /", which the allowedPattern ^i-[0-9a-f]{8,17}$ of shipped document cleanup-directory rejects (SSM would refuse it); nothing is started';
    expect(result).toMatchObject({ outcome: 'escalated', reason, resourceId: injected });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(0);
    expect(await h.ledger.getRemediation('rem-evt-inject')).toMatchObject({
      state: 'escalated',
      reason,
      documentName: 'SelfHeal-CleanupDirectory',
      parameters: { InstanceId: [injected] },
      escalation: { kind: 'ruleDefect', snsMessageId: 'msg-1', opsItemId: OPS_ITEM_ID },
    });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(reason);
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(1);
    // Nothing was held: another alarm on a real instance starts at once.
    expect(await h.ledger.activeGlobalSlots()).toBe(0);
    expect((await h.alarm(alarmEvent('evt-next'), context)).outcome).toBe('started');
  });

  it('escalates a rejected value once: its repeats within the frequency window publish nothing and are recorded skipped', async () => {
    const injected = 'i-0abc; rm -rf /';
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    await h.alarm(alarmOn('evt-inject-1', injected), context);

    const repeat = await h.alarm(alarmOn('evt-inject-2', injected), context);

    expect(repeat).toMatchObject({ outcome: 'skipped', resourceId: injected });
    expect(repeat.reason).toContain('remediation rem-evt-inject-1 escalated the same defect');
    expect(await h.ledger.getRemediation('rem-evt-inject-2')).toMatchObject({ state: 'skipped' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(1);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
  });

  it('records a dryRun rule without starting anything', async () => {
    const h = await loadHandlers(moto(), withRules({ ...DISK_RULE, mode: 'dryRun' }));
    const result = await h.alarm(alarmEvent('evt-dry'), context);
    expect(result.outcome).toBe('dryRun');
    expect(result.reason).toContain('enforce would: start');
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    expect(await h.ledger.getRemediation('rem-evt-dry')).toMatchObject({
      state: 'dryRun',
      documentName: 'SelfHeal-CleanupDirectory',
    });
  });

  it('records and notifies an observe rule without starting anything', async () => {
    const h = await loadHandlers(moto(), withRules({ ...DISK_RULE, mode: 'observe' }));
    const result = await h.alarm(alarmEvent('evt-obs'), context);
    expect(result).toMatchObject({ outcome: 'observed', escalation: { snsMessageId: 'msg-1' } });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toContain('observe mode');
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(0);
    // Recorded (pending) before the publish, then what SNS answered: a redelivery sends nothing.
    expect((await h.ledger.getRemediation('rem-evt-obs'))?.escalation).toMatchObject({
      kind: 'observed',
      byEventId: 'evt-obs',
      snsMessageId: 'msg-1',
    });
    expect((await h.alarm(alarmEvent('evt-obs'), context)).outcome).toBe('duplicate');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it.each([
    ['malformed-alarm-state-value.json', 'rejected', 'WARN', /detail\.state\.value/],
    ['malformed-alarm-missing-name.json', 'rejected', 'WARN', /alarmName/],
    ['ec2-instance-state-change.json', 'ignored', 'INFO', /not an alarm state change/],
  ])('answers %s with %s and no action, logging its decision at %s', async (name, outcome, level, reason) => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE), { env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });
    let result: Awaited<ReturnType<typeof h.alarm>> | undefined;
    const output = await outputOf(async () => {
      result = await h.alarm(rawEvent(name), context);
    });
    expect(result?.outcome).toBe(outcome);
    expect(result?.reason).toMatch(reason);
    const decisions = output
      .split('\n')
      .filter((line) => line.includes('"message":"decision"'))
      .map((line) => JSON.parse(line) as { level: string });
    expect(decisions).toMatchObject([{ level }]);
    expect(ssm.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('claims the event with a lease of the function timeout (SELFHEAL_FUNCTION_TIMEOUT_SEC) plus the margin', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE), {
      env: { SELFHEAL_FUNCTION_TIMEOUT_SEC: '120' },
    });
    const nowSec = Math.floor(Date.now() / 1000);
    await h.alarm(alarmEvent('evt-1'), context);
    expect(await h.ledger.getEventClaim('evt-1')).toEqual({
      claimedAtSec: nowSec,
      leaseSec: 120 + CLAIM_LEASE_MARGIN_SEC,
      expiresAtSec: nowSec + EVENT_CLAIM_SEC,
      ownerRequestId: context.awsRequestId,
    });
  });

  it('claims with the request id from the Lambda context, so its retry takes its dead claim over at once', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const nowSec = Math.floor(Date.now() / 1000);
    const lease = claimLeaseSec(60);
    // Claims of attempts killed 60 s ago, inside their lease: this request's, and another's.
    await h.ledger.claimEvent('evt-1', newClaim(nowSec - 60, lease, context.awsRequestId));
    await h.ledger.claimEvent('evt-2', newClaim(nowSec - 60, lease, 'another-request'));

    expect(await h.alarm(alarmEvent('evt-2'), context)).toMatchObject({ outcome: 'duplicate' });
    expect(await h.alarm(alarmEvent('evt-1'), context)).toMatchObject({ outcome: 'started' });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);
    expect(await h.ledger.getEventClaim('evt-1')).toEqual({
      claimedAtSec: nowSec,
      leaseSec: lease,
      expiresAtSec: nowSec + EVENT_CLAIM_SEC,
      ownerRequestId: context.awsRequestId,
    });
  });

  it('starts the alarm of an attempt killed after claiming, once its lease is over', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const nowSec = Math.floor(Date.now() / 1000);
    const lease = claimLeaseSec(60);
    // The killed attempt's claim, as its write left it; it recorded nothing.
    await h.ledger.claimEvent('evt-1', newClaim(nowSec - lease - 1, lease));
    await h.ledger.claimEvent('evt-2', newClaim(nowSec - lease + 1, lease));

    expect(await h.alarm(alarmEvent('evt-1'), context)).toMatchObject({ outcome: 'started' });
    expect(await h.alarm(alarmEvent('evt-2'), context)).toMatchObject({ outcome: 'duplicate' });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);
  });

  it('fails at cold start on a function timeout Lambda does not allow', async () => {
    await expect(
      loadHandlers(moto(), { rules: [] }, { env: { SELFHEAL_FUNCTION_TIMEOUT_SEC: '0' } }),
    ).rejects.toThrow(/SELFHEAL_FUNCTION_TIMEOUT_SEC: received "0"/);
  });

  it('fails at cold start naming what the bundled document patterns lack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfheal-patterns-'));
    const file = join(dir, 'patterns.json');
    writeFileSync(file, JSON.stringify({ 'restart-service': { InstanceId: '^i-[0-9a-f]{8,17}$' } }));

    await expect(
      loadHandlers(moto(), { rules: [] }, { env: { SELFHEAL_DOCUMENT_PATTERNS_FILE: file } }),
    ).rejects.toThrow(`invalid configuration in ${file}:\n  - cleanup-directory: missing; required`);
  });

  it("logs each rule's reason for not matching an alarm no rule matches, the only trace it leaves", async () => {
    // EventBridge routes a rule with an alarmNamePattern by the name alone: an alarm named like
    // the rule but on another metric (here CWAgent disk_inodes_free) arrives and is skipped.
    const inodes = JSON.parse(
      JSON.stringify(alarmEvent('evt-inodes')).replaceAll('"disk_used_percent"', '"disk_inodes_free"'),
    );
    const h = await loadHandlers(moto(), withRules(DISK_RULE), { env: { POWERTOOLS_LOG_LEVEL: 'INFO' } });

    const output = await outputOf(() => h.alarm(inodes, context));

    const decisions = output
      .split('\n')
      .filter((line) => line.includes('"message":"decision"'))
      .map((line) => JSON.parse(line) as { decision: { outcome: string; ruleEvaluations?: unknown } });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.decision).toMatchObject({
      outcome: 'skipped',
      ruleEvaluations: [
        {
          ruleId: 'disk-full-cleanup',
          matched: false,
          reason: expect.stringContaining('no metric of the alarm is CWAgent/disk_used_percent'),
        },
      ],
    });
    expect(await h.ledger.getRemediation('rem-evt-inodes')).toBeUndefined();
  });

  it("fails at cold start without its service name, which carries the stack's name its alarms read", async () => {
    await expect(
      loadHandlers(moto(), { rules: [] }, { env: { POWERTOOLS_SERVICE_NAME: undefined } }),
    ).rejects.toThrow(/POWERTOOLS_SERVICE_NAME: not set/);
  });

  it('fails at cold start naming a bad environment variable', async () => {
    await expect(
      loadHandlers(moto(), { rules: [] }, { env: { SELFHEAL_DOCUMENT_NAMES: 'not json' } }),
    ).rejects.toThrow(/SELFHEAL_DOCUMENT_NAMES: received "not json"; expected a JSON object/);
  });
});
