/**
 * CloudWatch's and CloudFormation's limits on the dashboards, checked at synth time so that a
 * dashboard CloudWatch would reject, or a template CloudFormation would refuse, fails `cdk synth`
 * with what to change instead of failing the deployment.
 */
import { type aws_cloudwatch as cloudwatch, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * CloudWatch dashboard body limits (CloudWatch API Reference, "Dashboard Body Structure and
 * Syntax"): 0–500 widgets per dashboard, 0–500 metrics and expressions in one metric widget's
 * `metrics` array, 1–100 alarms in an alarm status widget.
 */
export const CLOUDWATCH_DASHBOARD_LIMITS = {
  widgetsPerDashboard: 500,
  metricsPerGraph: 500,
  alarmsPerStatusWidget: 100,
} as const;

/**
 * Most target dashboards in one stack: each is one resource, and CloudFormation takes 500 per
 * stack, most of which the rest of the stack and its growth need.
 */
export const MAX_TARGET_DASHBOARDS = 100;

/**
 * Characters of dashboard bodies one stack may carry. CloudFormation takes templates of at most
 * 1 MB (uploaded through S3, as the CDK does for large ones); the rest of the stack is about 50 KB
 * with config/example.json, so the dashboards get 600 KB and leave it room to grow: about 2.1 KB
 * per target with a predefined metric (some 280 targets), more with long metric math.
 */
export const DASHBOARD_TEMPLATE_BUDGET_CHARS = 600_000;

/** Widget JSON as CloudWatch receives it (tokens resolved against the stack). */
export function renderWidgets(scope: IConstruct, widgets: readonly cloudwatch.IWidget[]): unknown[] {
  return Stack.of(scope).resolve(widgets.flatMap((w) => w.toJson()));
}

/**
 * Throws when a dashboard has more widgets, a graph more metrics, or an alarm status widget more
 * alarms than CloudWatch accepts; the message names the dashboard, the widget and the count.
 */
export function assertWithinDashboardLimits(path: string, rendered: readonly unknown[]): void {
  const { widgetsPerDashboard, metricsPerGraph, alarmsPerStatusWidget } = CLOUDWATCH_DASHBOARD_LIMITS;
  if (rendered.length > widgetsPerDashboard) {
    throw new Error(
      `${path}: ${rendered.length} widgets; a CloudWatch dashboard takes at most ${widgetsPerDashboard}: graph fewer targets per dashboard (dashboard.targetsPerDashboard)`,
    );
  }
  for (const widget of rendered) {
    const { type, properties } = widget as { type?: string; properties?: Record<string, unknown> };
    const title = String(properties?.title ?? '(untitled)');
    const metrics = Array.isArray(properties?.metrics) ? properties.metrics.length : 0;
    if (type === 'metric' && metrics > metricsPerGraph) {
      throw new Error(
        `${path}: graph "${title}" has ${metrics} metrics and expressions; CloudWatch takes at most ${metricsPerGraph} in one graph`,
      );
    }
    const alarms = Array.isArray(properties?.alarms) ? properties.alarms.length : 0;
    if (type === 'alarm' && (alarms < 1 || alarms > alarmsPerStatusWidget)) {
      throw new Error(
        `${path}: alarm status widget "${title}" lists ${alarms} alarms; CloudWatch takes 1 to ${alarmsPerStatusWidget}`,
      );
    }
  }
}

/**
 * Characters the rendered widgets add to the template: the body is their JSON, written into the
 * template as a JSON string (so with its quotes escaped).
 */
export function bodyChars(rendered: readonly unknown[]): number {
  return JSON.stringify(JSON.stringify({ widgets: rendered })).length;
}
