/**
 * Review: `scaledGroupNameProblem` (lib/config/schema.ts) refuses the forecastAndScale group names
 * the scheduled-action policy or its cdk-nag acknowledgement cannot carry, but not all of them:
 * - a name with an unbalanced `)`, `]` or `}`, or an opening bracket closed by another kind, makes
 *   aws-cdk-lib's Validations.acknowledge throw "Invalid validation rule ID ... Unmatched closing
 *   brace" from inside ScheduledActionsPolicy (its id is `AwsSolutions-IAM5[Resource::...<name>]`),
 *   so synth fails on a message that names neither the config field nor the fix;
 * - a name with a character above U+00FF (Auto Scaling allows any Unicode) synthesizes, but IAM
 *   refuses the policy document at deploy: "Policy documents can contain only ... characters in
 *   the range U+0020 to U+00FF" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 * Either way the config passes validation and the failure comes later, unexplained.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app/build-app';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import { appWithoutBundling, exampleConfig } from './helpers';

/** Characters IAM accepts in a policy document (tab, LF, CR, U+0020 to U+00FF). */
const IAM_POLICY_CHARS = /^[\t\n\r\u0020-\u00ff]*$/;

type Outcome = 'refused by the config, naming the field' | 'deployable' | string;

/** What happens to config/example.json with its forecastAndScale group renamed to `name`. */
function outcomeFor(name: string): Outcome {
  const raw = exampleConfig();
  const scaled = raw.predictiveScaling.targets[1];
  if (scaled?.mode !== 'forecastAndScale') throw new Error('config/example.json lost its scaled target');
  scaled.autoScalingGroupName = name;
  let config: ReturnType<typeof parseAppConfig>;
  try {
    config = parseAppConfig(raw);
  } catch (err) {
    return err instanceof ConfigError &&
      err.problems.some((p) => p.includes('predictiveScaling.targets[1].autoScalingGroupName'))
      ? 'refused by the config, naming the field'
      : `refused without naming the field: ${String(err)}`;
  }
  try {
    const app = appWithoutBundling();
    const { stack } = buildApp(app, config);
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
    const policies = Object.values(resources).filter((r) => r.Type.startsWith('AWS::IAM::'));
    return IAM_POLICY_CHARS.test(JSON.stringify(policies))
      ? 'deployable'
      : 'synthesized an IAM policy with characters IAM refuses';
  } catch (err) {
    return `synth failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

// Each accepted name synthesizes the app with cdk-nag; the first in a process also loads aws-cdk-lib.
describe('review: forecastAndScale group names the schema accepts', { timeout: 60_000 }, () => {
  it.each([['web-asg]'], ['web-asg)'], ['web(blue'], ['web{blue]']])(
    'refuses %j at validation, naming the field, instead of failing synth on a cdk-nag rule id',
    (name) => {
      expect(outcomeFor(name)).toBeOneOf(['refused by the config, naming the field', 'deployable']);
    },
  );

  it.each([['web-グループ'], ['api-€-asg']])(
    'refuses %j at validation, naming the field, instead of writing a policy IAM rejects at deploy',
    (name) => {
      expect(outcomeFor(name)).toBeOneOf(['refused by the config, naming the field', 'deployable']);
    },
  );

  it('still deploys balanced brackets and Latin-1 names', () => {
    expect(outcomeFor('web[1]-café')).toBe('deployable');
  });

  it('acknowledges every cdk-nag finding of names with paired brackets, Latin-1 and $', () => {
    const raw = exampleConfig();
    const scaled = raw.predictiveScaling.targets[1];
    if (scaled === undefined) throw new Error('config/example.json lost its scaled target');
    const names = ['web[1]-café', 'api(blue)-[2]', 'batch$x([])', 'ÿ-asg'];
    raw.predictiveScaling.targets = names.map((name, i) => ({
      ...scaled,
      id: `scaled-${i}`,
      autoScalingGroupName: name,
    }));
    const app = appWithoutBundling();
    const { nag } = buildApp(app, parseAppConfig({ ...raw, remediation: { rules: [] } }));
    app.synth();
    const report = nag.validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
