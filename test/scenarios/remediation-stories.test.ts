/**
 * Closed-loop stories: the real alarm, verification and sweeper handlers with the DynamoDB ledger,
 * CloudWatch alarms (PutMetricAlarm + SetAlarmState) and SNS on moto; SSM Automation and OpsCenter
 * (which moto does not implement) mocked.
 */
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateOpsItemCommand,
  GetAutomationExecutionCommand,
  SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MotoServer, motoClientConfig } from '../emulator/moto-server';
import {
  ALARM,
  advance,
  alarmEvent,
  automationEvent,
  context,
  DISK_RULE,
  freezeDate,
  INSTANCE,
  type Loaded,
  loadHandlers,
  rawEvent,
  requireMoto,
  startMoto,
  sweepEvent,
  withRules,
} from '../handlers/remediation-setup';
import { accessDenied, throttled } from '../handlers/ssm-errors';

const ssm = mockClient(SSMClient);
const run = requireMoto();
const starts = () => ssm.commandCalls(StartAutomationExecutionCommand).length;

describe.runIf(run)('remediation stories (moto: DynamoDB, CloudWatch, SNS; SSM mocked)', () => {
  let moto: MotoServer;
  let cw: CloudWatchClient;
  let topicArn: string;
  let h: Loaded;

  const setAlarm = (value: 'OK' | 'ALARM', name = ALARM) =>
    cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: value, StateReason: `test: ${value}` }));
  const load = async (rule: Record<string, unknown> = DISK_RULE) => {
    h = await loadHandlers(moto, withRules(rule), {
      toMoto: ['CLOUDWATCH', 'SNS', 'AUTO_SCALING'],
      topicArn,
    });
  };

  beforeAll(async () => {
    moto = await startMoto({ atomicRequests: true });
    const client = motoClientConfig(moto.endpoint);
    cw = new CloudWatchClient(client);
    const sns = new SNSClient(client);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'SelfHeal-Escalation' }))).TopicArn ?? '';
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'CWAgent',
        MetricName: 'disk_used_percent',
        Dimensions: [{ Name: 'InstanceId', Value: INSTANCE }],
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
  }, 30_000);
  afterAll(async () => moto?.stop());
  beforeEach(async () => {
    freezeDate();
    ssm.reset();
    ssm
      .on(StartAutomationExecutionCommand)
      .callsFake((i: { ClientToken?: string }) => ({ AutomationExecutionId: `exec-${i.ClientToken}` }));
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: 'oi-1' });
    // The status read right after each start: still running.
    ssm
      .on(GetAutomationExecutionCommand)
      .resolves({ AutomationExecution: { AutomationExecutionStatus: 'InProgress' } });
    await setAlarm('ALARM');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('alarm → start → automation success → alarm OK → resolved with the time to recover', async () => {
    await load();
    const started = await h.alarm(alarmEvent('s1'), context);
    expect(started.outcome).toBe('started');
    advance(240);
    await setAlarm('OK');
    const done = await h.verify(automationEvent('s1-ssm', 'Success', started.executionId), context);
    expect(done).toMatchObject({ outcome: 'resolved', timeToRecoverSec: 240 });
    expect(await h.ledger.getRemediation('rem-s1')).toMatchObject({ state: 'resolved' });
  });

  it('success but the alarm stays in ALARM past the deadline → escalated through SNS (moto) and OpsCenter', async () => {
    await load();
    const started = await h.alarm(alarmEvent('s2'), context);
    const verifying = await h.verify(automationEvent('s2-ssm', 'Success', started.executionId), context);
    expect(verifying.outcome).toBe('verifying');
    advance(601);
    await h.sweep(sweepEvent(), context);
    const record = await h.ledger.getRemediation('rem-s2');
    expect(record).toMatchObject({ state: 'escalated', escalation: { opsItemId: 'oi-1' } });
    expect(record?.escalation?.snsMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the fourth alarm in 24 h on one resource is escalated without acting', async () => {
    await load();
    const outcomes: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      await setAlarm('ALARM');
      const r = await h.alarm(alarmEvent(`s3-${n}`), context);
      outcomes.push(r.outcome);
      if (r.outcome === 'started') {
        await setAlarm('OK');
        await h.verify(automationEvent(`s3-${n}-ssm`, 'Success', r.executionId), context);
      }
      advance(1000);
    }
    expect(outcomes).toEqual(['started', 'started', 'started', 'escalated']);
    expect(starts()).toBe(3);
    const fourth = await h.ledger.getRemediation('rem-s3-4');
    expect(fourth?.verdicts.find((v) => v.guardrail === 'frequencyLimit')?.outcome).toBe('escalate');
    const ops =
      ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input.OperationalData?.['selfheal:actions']?.Value ??
      '';
    expect(JSON.parse(ops)).toHaveLength(3);
  });

  it('a duplicate delivery (three at once) starts one execution', async () => {
    await load();
    // Each delivery is its own invocation, with its own Lambda request id.
    const results = await Promise.all(
      [1, 2, 3].map((i) => h.alarm(alarmEvent('s4'), { ...context, awsRequestId: `req-s4-${i}` })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate', 'started']);
    expect(starts()).toBe(1);
  });

  it('even attempts running at once under one request id (Lambda retries only ended ones) start one execution', async () => {
    await load();
    const results = await Promise.allSettled([1, 2, 3].map(() => h.alarm(alarmEvent('s4b'), context)));
    // Each takes the claim as its own retry's, but the record is written once: only its writer starts.
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value.outcome : 'failed'));
    expect(outcomes.filter((o) => o === 'started')).toHaveLength(1);
    expect(starts()).toBe(1);
  });

  it('two alarms on one resource at once start one execution; the other is recorded, not started', async () => {
    await load();
    const results = await Promise.all([
      h.alarm(alarmEvent('s5-a'), context),
      h.alarm(alarmEvent('s5-b'), context),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['skipped', 'started']);
    expect(starts()).toBe(1);
    const skipped = results.find((r) => r.outcome === 'skipped');
    // blocked when its lock write lost (the sweeper re-drives it); skipped when its snapshot already
    // saw the winner's record (the same rule's remediation of this very alarm handles it).
    const state = (await h.ledger.getRemediation(skipped?.remediationId ?? ''))?.state;
    expect(['blocked', 'skipped']).toContain(state);
  });

  it('dryRun: nothing started, what would run recorded', async () => {
    await load({ ...DISK_RULE, mode: 'dryRun' });
    expect((await h.alarm(alarmEvent('s6'), context)).outcome).toBe('dryRun');
    expect(starts()).toBe(0);
    expect(await h.ledger.getRemediation('rem-s6')).toMatchObject({
      state: 'dryRun',
      documentName: 'SelfHeal-CleanupDirectory',
    });
  });

  it('malformed and foreign events: rejected or ignored with a record, no action', async () => {
    await load();
    const bad = await h.alarm(rawEvent('malformed-alarm-state-value.json'), context);
    const other = await h.alarm(rawEvent('ec2-instance-state-change.json'), context);
    expect([bad.outcome, other.outcome]).toEqual(['rejected', 'ignored']);
    const notOurs = await h.alarm(
      { ...alarmEvent('s7-x'), detail: { ...(alarmEvent('s7-x').detail as object), alarmName: 'cpu-high' } },
      context,
    );
    expect(notOurs.outcome).toBe('skipped');
    expect(notOurs.reason).toMatch(/no rule matches/);
    expect(starts()).toBe(0);
    expect(await h.ledger.readHistory(10)).toEqual([]);
  });

  it('SSM throttling on start: recorded blocked for the sweeper to retry, nobody paged yet, never lost', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(throttled());
    await load();
    const r = await h.alarm(alarmEvent('s8'), context);
    expect(r.outcome).toBe('skipped');
    const record = await h.ledger.getRemediation('rem-s8');
    expect(record).toMatchObject({ state: 'blocked', blockedBy: 'ssmThrottled' });
    expect(record?.reason).toContain('ThrottlingException');
    expect(record?.escalation).toBeUndefined();
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(0);
  });

  it('OpsItem creation fails: the SNS message still goes (moto) and the failure is recorded', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(accessDenied());
    ssm.on(CreateOpsItemCommand).rejects(new Error('OpsCenter unavailable'));
    await load();
    await h.alarm(alarmEvent('s9'), context);
    const escalation = (await h.ledger.getRemediation('rem-s9'))?.escalation;
    expect(escalation?.opsItemError).toBe('Error: OpsCenter unavailable');
    expect(escalation?.snsMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
