import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { loadAppConfig } from '../../lib/app/load-config';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
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
