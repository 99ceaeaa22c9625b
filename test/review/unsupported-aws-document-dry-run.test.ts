/**
 * Review: the README says "Other AWS-owned documents fail the synth until their permissions are
 * added to lib/iam/remediation-automation-policy.ts", and a dry run "should record a call that
 * would work" (lib/constructs/remediation-rules.ts). But the schema takes any `AWS-…` name and the
 * support check (RemediationAutomationPolicy) runs for `enforce` rules only: a rule on an
 * unsupported AWS-owned document deploys in `dryRun` (the default mode) or `observe`, records
 * "would start" for weeks, and fails the synth only when the operator finally sets `enforce`.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import { appWithoutBundling, exampleConfig } from '../infra/helpers';

function synth(mode: 'dryRun' | 'observe' | 'enforce'): void {
  const raw = exampleConfig();
  const rules = raw.remediation?.rules ?? [];
  raw.remediation = {
    ...raw.remediation,
    rules: rules.map((rule) =>
      rule.id === 'api-cpu-stuck-reboot'
        ? {
            ...rule,
            document: { aws: 'AWS-StopEC2Instance' },
            parameters: { InstanceId: ['{{resourceId}}'] },
            mode,
          }
        : rule,
    ),
  };
  buildApp(appWithoutBundling(), parseAppConfig(raw, 'review.json'));
}

describe('a rule on an AWS-owned document the automation role has no permissions for', () => {
  it('fails the synth in enforce mode (as the README says)', () => {
    expect(() => synth('enforce')).toThrow(/AWS-StopEC2Instance/);
  });

  it.each(['dryRun', 'observe'] as const)('fails the config check or the synth in %s mode too', (mode) => {
    expect(() => synth(mode)).toThrow(/AWS-StopEC2Instance/);
  });
});
