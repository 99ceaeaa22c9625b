/**
 * Review: `predictiveScaling.metricNamespace` is validated untrimmed at synth, but the forecaster
 * reads it back from its environment trimmed (lambdas/forecaster/env.ts). A namespace with
 * leading or trailing white space passes the config check, then the forecaster publishes to the
 * trimmed name while its PutMetricData policy allows only the untrimmed one; a namespace of
 * white space only passes the config check and fails every cold start.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadForecasterEnv } from '../../lambdas/forecaster/env';
import { buildApp } from '../../lib/app/build-app';
import { FORECASTER_ENV } from '../../lib/config/env-names';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import { appWithoutBundling, exampleConfig } from '../infra/helpers';

interface Deployed {
  /** The forecaster's environment variables, as synthesized. */
  readonly env: Record<string, string>;
  /** The namespace the forecaster's PutMetricData policy allows. */
  readonly allowedNamespace: unknown;
}

/** The forecaster as deployed from a config with `metricNamespace`, or `refused` by the config check. */
function deploy(metricNamespace: string): Deployed | 'refused' {
  const raw = exampleConfig();
  raw.predictiveScaling.metricNamespace = metricNamespace;
  let config: ReturnType<typeof parseAppConfig>;
  try {
    config = parseAppConfig(raw, 'review.json');
  } catch (err) {
    if (err instanceof ConfigError) return 'refused';
    throw err;
  }
  const { stack } = buildApp(appWithoutBundling(), config);
  const template = Template.fromStack(stack);
  const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter(
    (r) => r.Properties?.Environment?.Variables?.[FORECASTER_ENV.metricNamespace] !== undefined,
  );
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (r) => r.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
  );
  const publish = statements.find((s) => s.Sid === 'PublishOnlyToOwnNamespace') as
    | { Condition: { StringEquals: Record<string, unknown> } }
    | undefined;
  expect(fns).toHaveLength(1);
  return {
    env: fns[0]?.Properties.Environment.Variables,
    allowedNamespace: publish?.Condition.StringEquals['cloudwatch:namespace'],
  };
}

describe('predictiveScaling.metricNamespace with surrounding white space', () => {
  it('is refused by the config check, or the forecaster publishes to the namespace its policy allows', () => {
    const deployed = deploy('SelfHeal/PredictiveScaling ');
    if (deployed === 'refused') return;
    const env = loadForecasterEnv(deployed.env);
    expect(env.metricNamespace).toBe(deployed.allowedNamespace);
  });

  it('is refused by the config check when it is only white space, rather than failing every forecaster cold start', () => {
    const deployed = deploy('   ');
    if (deployed === 'refused') return;
    expect(() => loadForecasterEnv(deployed.env)).not.toThrow();
  });
});
