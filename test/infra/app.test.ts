import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { loadAppConfig } from '../../lib/app/load-config';
import { REMEDIATION_METRIC_NAMESPACE } from '../../lib/config/metric-names';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import { dashboardsOf, graphedMetrics, graphsOf } from './dashboard-body';
import { appWithoutBundling, exampleConfig } from './helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function writeConfig(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'selfheal-config-')), 'config.json');
  writeFileSync(file, content);
  return file;
}

describe('the CDK app', () => {
  it('synthesizes config/example.json into one stack named after stackName', () => {
    const app = appWithoutBundling();
    const { stack } = buildApp(app, loadAppConfig('config/example.json', ROOT));
    const t = Template.fromStack(stack);
    expect(stack.stackName).toBe('SelfHeal');
    // Forecaster + the remediation engine's alarm, verification and sweeper functions.
    t.resourceCountIs('AWS::Lambda::Function', 4);
    // Forecaster schedule + ALARM, OK, INSUFFICIENT_DATA (the replacement rule), automation-status
    // and sweeper rules.
    t.resourceCountIs('AWS::Events::Rule', 6);
  });

  it('keeps on stack deletion only what the README says: the ledger, the log groups and the escalation key', () => {
    const app = appWithoutBundling();
    const { stack } = buildApp(app, loadAppConfig('config/example.json', ROOT));
    const resources = Template.fromStack(stack).toJSON().Resources as Record<
      string,
      { Type: string; DeletionPolicy?: string }
    >;
    const kept = Object.values(resources)
      .filter((r) => r.DeletionPolicy === 'Retain')
      .map((r) => r.Type)
      .sort();
    expect(kept).toEqual([
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::Logs::LogGroup',
      'AWS::Logs::LogGroup',
      'AWS::Logs::LogGroup',
      'AWS::Logs::LogGroup',
    ]);
  });

  it('deploys no remediation engine when the config has no rules', () => {
    const app = appWithoutBundling();
    const { stack } = buildApp(app, parseAppConfig({ ...exampleConfig(), remediation: { rules: [] } }));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  it('passes cdk-nag AwsSolutions checks with every finding fixed or acknowledged', () => {
    const app = appWithoutBundling();
    const config = parseAppConfig({
      ...exampleConfig(),
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
    });
    const { nag } = buildApp(app, config);
    app.synth();
    const report = nag.validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('fails cdk-nag on an unacknowledged finding', () => {
    const app = appWithoutBundling();
    const { stack, nag } = buildApp(app, parseAppConfig(exampleConfig()));
    stack.predictiveScaler.forecaster.role.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'),
    );
    expect(nag.validateScope(app).success).toBe(false);
  });

  it('fails when the config file has bad fields, listing every problem', () => {
    const raw = exampleConfig();
    const file = writeConfig(
      JSON.stringify({
        ...raw,
        logRetentionDays: 2,
        predictiveScaling: { ...raw.predictiveScaling, schedule: 'hourly' },
      }),
    );
    expect(() => loadAppConfig(file)).toThrow(ConfigError);
    expect(() => loadAppConfig(file)).toThrow(
      /logRetentionDays: received 2;[\s\S]*predictiveScaling\.schedule: received "hourly"/,
    );
  });

  it('fails when the config file is missing or not JSON', () => {
    expect(() => loadAppConfig('no/such/config.json')).toThrow(
      'cannot read the config file no/such/config.json (ENOENT); pass an existing file with -c config=path/to/config.json',
    );
    expect(() => loadAppConfig(writeConfig('{ nope'))).toThrow(/is not valid JSON/);
  });

  it('fails synth with every problem and no stack trace when -c config names a bad file', () => {
    const file = writeConfig(JSON.stringify({ predictiveScaling: { targets: [{ id: 'x' }] } }));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        SELFHEAL_DEBUG: '',
        CDK_CONTEXT_JSON: JSON.stringify({ config: file }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-out-')),
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`selfheal: invalid configuration in ${file}:`);
    expect(run.stderr).toContain(
      'predictiveScaling.targets[0].autoScalingGroupName: missing; required (string)',
    );
    expect(run.stderr).toContain('predictiveScaling.targets[0].targetValue: missing; required (number)');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('adds the stack trace to a refused config when SELFHEAL_DEBUG=1', () => {
    const file = writeConfig(JSON.stringify({ predictiveScaling: { targets: [{ id: 'x' }] } }));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        SELFHEAL_DEBUG: '1',
        CDK_CONTEXT_JSON: JSON.stringify({ config: file }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-out-')),
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`selfheal: invalid configuration in ${file}:`);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('fails synth on one message and no stack trace when a construct refuses the config', () => {
    // Arrange: valid by the schema, refused by the cleanup document's allowedPattern at synth.
    const raw = exampleConfig() as { remediation: { rules: { parameters: Record<string, string> }[] } };
    const rule = raw.remediation.rules[0];
    if (rule === undefined) throw new Error('the example config has no rule');
    rule.parameters = { ...rule.parameters, OlderThanDays: '0' };
    const file = writeConfig(JSON.stringify(raw));

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        SELFHEAL_DEBUG: '',
        CDK_CONTEXT_JSON: JSON.stringify({ config: file, 'aws:cdk:bundling-stacks': [] }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-out-')),
      },
    });

    // Assert
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^selfheal: invalid remediation rule parameters:\n/);
    expect(run.stderr).toContain('parameter OlderThanDays received "0"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('throw new Error');
  });
});

interface AlarmProps {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: unknown }>;
}

/** A metric's identity as CloudWatch has it: namespace, name and dimensions (in any order). */
function identity(
  namespace: string,
  metricName: string,
  dimensions: ReadonlyArray<[string, unknown]>,
): string {
  const dims = dimensions
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .sort()
    .join(',');
  return `${namespace} ${metricName} {${dims}}`;
}

/**
 * The example config deployed as `stackName`: the identity of each alarm on a metric the stack's
 * own code emits (not an AWS/ namespace), and of each dashboard line in the namespaces its
 * functions emit to (the forecasts' and the remediation functions'; load metrics are the user's).
 */
function ownMetrics(stackName: string): { alarms: string[]; graphed: string[] } {
  const config = parseAppConfig({ ...exampleConfig(), stackName });
  const template = Template.fromStack(buildApp(appWithoutBundling(), config).stack);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((r) => r.Properties as AlarmProps)
    .filter((p) => p.Namespace !== undefined && !p.Namespace.startsWith('AWS/'))
    .map((p) =>
      identity(
        p.Namespace ?? '',
        p.MetricName ?? '',
        (p.Dimensions ?? []).map((d) => [d.Name, d.Value]),
      ),
    );
  const emittedTo = new Set([config.predictiveScaling.metricNamespace, REMEDIATION_METRIC_NAMESPACE]);
  const graphed = dashboardsOf(template)
    .flatMap((d) => [...graphsOf(d).values()].flatMap(graphedMetrics))
    .filter((m) => m.namespace !== undefined && emittedTo.has(m.namespace))
    .map((m) => identity(m.namespace ?? '', m.metricName ?? '', Object.entries(m.dimensions ?? {})));
  return { alarms, graphed: [...new Set(graphed)] };
}

/**
 * Two stacks of one config in one account and Region (a staging and a production stack, only
 * `stackName` set apart) must not read each other's metrics. CloudWatch identifies a metric by
 * namespace, name and dimensions, per account and Region
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html): an
 * alarm or a graph whose metric matches another stack's reads what that stack's functions emit.
 */
describe('two stacks in one account and region', () => {
  let staging: { alarms: string[]; graphed: string[] };
  let production: { alarms: string[]; graphed: string[] };
  beforeAll(() => {
    staging = ownMetrics('SelfHealStaging');
    production = ownMetrics('SelfHealProd');
  }, 120_000);

  it("alarm on no metric an alarm of the other stack reads: staging's events never fire production's alarms", () => {
    // Arrange: both stacks have their own partial-failure alarms.
    expect(staging.alarms.length).toBeGreaterThan(0);
    expect(production.alarms.length).toBe(staging.alarms.length);

    // Act
    const shared = staging.alarms.filter((metric) => production.alarms.includes(metric));

    // Assert
    expect(shared).toEqual([]);
  });

  it('graph on their dashboards no metric of the other stack: neither the runs, the outcomes nor the forecasts', () => {
    // Arrange: the overview (forecaster runs, remediation outcomes) and the target pages (forecasts).
    expect(staging.graphed.length).toBeGreaterThan(0);
    expect(production.graphed.length).toBe(staging.graphed.length);
    expect(staging.graphed.some((m) => m.includes(' LoadForecast '))).toBe(true);

    // Act
    const shared = staging.graphed.filter((metric) => production.graphed.includes(metric));

    // Assert
    expect(shared).toEqual([]);
  });
});
