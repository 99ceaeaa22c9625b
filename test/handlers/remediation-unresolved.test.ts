/**
 * The alarm handler on an ALARM its rule matches but whose resource the alarm does not name (the
 * example disk-full alarm with a second metric on another instance, as metric math over two
 * instances has it): escalated as a rule defect, recorded in the DynamoDB ledger (moto) under a
 * stand-in resource id with the alarm's metrics, without a lock, slot, group read or SSM call; a
 * repeat within the frequency window is recorded skipped and publishes nothing.
 */

import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { CreateOpsItemCommand, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { mockRemediationAws, OPS_ITEM_ID, useMotoSuite } from './remediation-mocks';
import {
  alarmEvent,
  context,
  DISK_RULE,
  INSTANCE,
  loadHandlers,
  requireMoto,
  withRules,
} from './remediation-setup';

const aws = mockRemediationAws();
const { ssm, sns, asg } = aws;

const run = requireMoto();
const SECOND = 'i-0fedcba9876543210';
const STAND_IN = '(unresolved) alarm "disk-full-web-1"';

/** The example disk-full alarm with a second disk metric, `m2`, on instance {@link SECOND}. */
function twoInstanceAlarm(id: string): Record<string, unknown> {
  const e = alarmEvent(id) as { detail: { configuration: { metrics: Record<string, unknown>[] } } };
  const [metric] = e.detail.configuration.metrics;
  const copy = JSON.parse(JSON.stringify(metric)) as {
    id: string;
    metricStat: { metric: { dimensions: Record<string, string> } };
  };
  copy.id = 'm2';
  copy.metricStat.metric.dimensions.InstanceId = SECOND;
  e.detail.configuration.metrics.push(copy);
  return e;
}

describe.runIf(run)('remediation alarm handler on an alarm naming no single resource', () => {
  const moto = useMotoSuite(aws);

  it('escalates it as a rule defect with the metrics as evidence, holding nothing and calling no SSM automation', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    const event = twoInstanceAlarm('evt-two');

    const result = await h.alarm(event, context);

    // Before: outcome skipped, nothing recorded, nothing published.
    expect(result).toMatchObject({
      outcome: 'escalated',
      resourceId: STAND_IN,
      escalation: { kind: 'ruleDefect', snsMessageId: 'msg-1', opsItemId: OPS_ITEM_ID },
    });
    expect(result.reason).toContain(`name 2 different values: ${INSTANCE} (metric `);
    expect(result.reason).toContain(`${SECOND} (metric m2)`);
    const record = await h.ledger.getRemediation('rem-evt-two');
    expect(record).toMatchObject({ state: 'escalated', resourceId: STAND_IN, reason: result.reason });
    expect(record?.alarmMetrics?.map((m) => m.metricStat?.metric.dimensions?.InstanceId)).toEqual([
      INSTANCE,
      SECOND,
    ]);
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(message).toContain(result.reason);
    expect(message).toContain('"metrics": [');
    expect(message).toContain(`"InstanceId": "${SECOND}"`);
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(1);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    expect(asg.commandCalls(DescribeAutoScalingInstancesCommand)).toHaveLength(0);
    // The claim, the record and its HISTORY and DEFECT index items: no LOCK, SLOTS, GROUP or WINDOW item.
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: moto().endpoint }));
    const items = (await doc.send(new ScanCommand({ TableName: h.tableName }))).Items ?? [];
    const partitions = items.map((i) => String(i.pk)).sort();
    expect(partitions).toEqual([
      `DEFECT#disk-full-cleanup#${STAND_IN}`,
      'EVENT#evt-two',
      'HISTORY',
      'REM#rem-evt-two',
    ]);
    // A real alarm on one of the instances still starts at once.
    expect((await h.alarm(alarmEvent('evt-next'), context)).outcome).toBe('started');
  });

  it('records a repeat within the frequency window as skipped, publishing nothing', async () => {
    const h = await loadHandlers(moto(), withRules(DISK_RULE));
    await h.alarm(twoInstanceAlarm('evt-two-1'), context);

    const repeat = await h.alarm(twoInstanceAlarm('evt-two-2'), context);

    expect(repeat).toMatchObject({ outcome: 'skipped', resourceId: STAND_IN });
    expect(repeat.reason).toContain('remediation rem-evt-two-1 escalated the same defect');
    expect(await h.ledger.getRemediation('rem-evt-two-2')).toMatchObject({ state: 'skipped' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(1);
  });
});
