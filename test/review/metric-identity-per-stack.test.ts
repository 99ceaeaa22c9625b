/**
 * Review: two selfheal stacks deployed to one account and region (a staging and a production
 * config, `stackName` set apart as the README's Deploy section allows) must not read each other's
 * metrics. CloudWatch identifies a metric by namespace, name and dimensions only, per account and
 * Region (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html),
 * so an alarm whose namespace, name and dimensions equal another stack's also reads the data the
 * other stack's functions emit.
 *
 * Fails today: the remediation functions emit to the fixed namespace `SelfHeal/Remediation` with
 * the fixed `service` dimension (lib/config/metric-names.ts), and the forecaster to the default
 * `SelfHeal/PredictiveScaling` with the fixed `service=selfheal-forecaster`, whatever the stack:
 * a rejected event in staging fires production's RejectedEventsAlarm, and both overviews graph
 * the sum of both stacks' counts.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import { appWithoutBundling, exampleConfig } from '../infra/helpers';

interface AlarmProps {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: unknown }>;
}

/** The metric identity of each alarm on a metric the stack's own code emits (not an AWS/ namespace). */
function ownMetricAlarms(stackName: string): string[] {
  const config = parseAppConfig({ ...exampleConfig(), stackName });
  const { stack } = buildApp(appWithoutBundling(), config);
  const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
  return Object.values(alarms)
    .map((r) => r.Properties as AlarmProps)
    .filter((p) => p.Namespace !== undefined && !p.Namespace.startsWith('AWS/'))
    .map((p) => {
      const dims = (p.Dimensions ?? []).map((d) => `${d.Name}=${JSON.stringify(d.Value)}`).join(',');
      return `${p.Namespace} ${p.MetricName} {${dims}}`;
    });
}

describe('alarms of two stacks in one account and region', () => {
  let staging: string[];
  let production: string[];
  beforeAll(() => {
    staging = ownMetricAlarms('SelfHealStaging');
    production = ownMetricAlarms('SelfHealProd');
  }, 120_000);

  it('read metrics no alarm of the other stack reads', () => {
    // Arrange: both stacks have their own partial-failure alarms.
    expect(staging.length).toBeGreaterThan(0);
    expect(production.length).toBe(staging.length);

    // Act
    const shared = staging.filter((identity) => production.includes(identity));

    // Assert: none of production's alarms would fire on what staging's functions emit.
    expect(shared).toEqual([]);
  });
});
