/**
 * The stacks the dashboard tests read: the app built from config/example.json, and a stack with
 * only the predictive scaler and the dashboard, for targets made with {@link target}.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app/build-app';
import { parseAppConfig } from '../../lib/config/parse';
import type { AppConfigInput } from '../../lib/config/schema';
import { PredictiveScaler } from '../../lib/constructs/predictive-scaler';
import { SelfHealDashboard, type SelfHealDashboardProps } from '../../lib/constructs/selfheal-dashboard';
import type { SelfhealStack } from '../../lib/stacks/selfheal-stack';
import { appWithoutBundling, exampleConfig, newStack } from './helpers';

export type TargetInput = AppConfigInput['predictiveScaling']['targets'][number];

/** A target on group `<id>-asg` with a predefined metric; `overrides` replace fields. */
export function target(id: string, overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    id,
    autoScalingGroupName: `${id}-asg`,
    loadMetric: { type: 'predefined', metric: 'ASGTotalNetworkIn' },
    targetValue: 100,
    minCapacity: 1,
    maxCapacity: 10,
    ...overrides,
  };
}

/** A stack with only the predictive scaler and the dashboard (no remediation engine). */
export function scalerDashboards(
  targets: TargetInput[],
  props: Partial<SelfHealDashboardProps> = {},
): { stack: Stack; dashboard: SelfHealDashboard; template: Template } {
  const stack = newStack();
  const predictiveScaler = new PredictiveScaler(stack, 'Scaler', {
    targets,
    metricNamespace: 'Team/Forecasts',
  });
  const dashboard = new SelfHealDashboard(stack, 'Dashboard', { predictiveScaler, ...props });
  return { stack, dashboard, template: Template.fromStack(stack) };
}

/** The app of config/example.json, bundling skipped (takes seconds: build it once, in a `beforeAll`). */
export function exampleApp(): { stack: SelfhealStack; template: Template } {
  const config = parseAppConfig(exampleConfig());
  const stack = buildApp(appWithoutBundling(), config).stack;
  return { stack, template: Template.fromStack(stack) };
}
