import { aws_cloudwatch as cloudwatch, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { parseAppConfig } from '../config/parse';
import type { ScalingTarget } from '../config/schema';
import {
  assertWithinDashboardLimits,
  bodyChars,
  DASHBOARD_TEMPLATE_BUDGET_CHARS,
  MAX_TARGET_DASHBOARDS,
  renderWidgets,
} from './dashboard-limits';
import { alarmWidgets, forecasterRunsWidget, remediationWidgets } from './dashboard-overview-widgets';
import { GROUP_METRICS, targetWidgets } from './dashboard-target-widgets';
import type { PredictiveScaler } from './predictive-scaler';
import type { RemediationEngine } from './remediation-engine';

/** Props of {@link SelfHealDashboard}. */
export interface SelfHealDashboardProps {
  /** The predictive scaler whose targets, forecasts and runs are graphed. */
  readonly predictiveScaler: PredictiveScaler;
  /** The remediation engine whose outcomes and alarms are shown. @default - none (no remediation section) */
  readonly remediation?: RemediationEngine;
  /** Targets per target dashboard, 1–100. @default 25 */
  readonly targetsPerDashboard?: number;
  /** The targets to graph, by id, in this order. @default - every target, in config order */
  readonly targetIds?: string[];
  /**
   * Name of the overview dashboard; target dashboards add `-targets-<n>`. Dashboard names are
   * global to the account, so the default carries the region. @default `<stackName>-<region>`
   */
  readonly dashboardName?: string;
}

/** Time range shown when a dashboard opens: two daily cycles of load. */
const START = '-P2D';
const TEXT_HEIGHT = 3;

/**
 * CloudWatch dashboards for the deployed configuration: an overview (the forecaster's runs, the
 * remediation handlers' outcomes and time to recover, the state of the stack's alarms) and, for
 * the predictive-scaling targets, pages of `targetsPerDashboard` targets, each target a row of
 * two graphs: its load as the forecaster reads it against the published load forecast and its
 * upper bound, and its group's capacity against the capacity forecasts.
 *
 * Every graph keeps its own period (`periodOverride: inherit`): the load is a `Sum` per period,
 * so a graph re-aggregated to a longer period would no longer compare with the forecast.
 *
 * Construct ids are stable: `Overview`, then `Targets1`, `Targets2`, … by page.
 */
export class SelfHealDashboard extends Construct {
  readonly overview: cloudwatch.Dashboard;
  /** One per page of targets, in order; empty without targets. */
  readonly targetDashboards: readonly cloudwatch.Dashboard[];

  constructor(scope: Construct, id: string, props: SelfHealDashboardProps) {
    super(scope, id);
    const { targetsPerDashboard, targets } = validate(this, props);
    const pages = chunks(targets, targetsPerDashboard);
    if (pages.length > MAX_TARGET_DASHBOARDS) {
      throw new Error(
        `${this.node.path}: ${targets.length} targets at ${targetsPerDashboard} per dashboard need ${pages.length} target dashboards; one stack holds at most ${MAX_TARGET_DASHBOARDS}: raise dashboard.targetsPerDashboard (up to 100) or graph fewer targets with dashboard.targetIds`,
      );
    }
    const name = props.dashboardName ?? `${Stack.of(this).stackName}-${Stack.of(this).region}`;
    const pageName = (i: number) => `${name}-targets-${i + 1}`;
    const forecasts = {
      namespace: props.predictiveScaler.config.predictiveScaling.metricNamespace,
      stackName: props.predictiveScaler.forecastStackName,
    };

    const overviewRows: cloudwatch.IWidget[][] = [
      [overviewText(targets.length, pages.length, pageName, props.remediation !== undefined)],
      [
        forecasterRunsWidget(props.predictiveScaler),
        ...alarmWidgets(props.predictiveScaler, props.remediation),
      ],
      ...(props.remediation === undefined ? [] : remediationWidgets(props.remediation)),
    ];
    const pageRows = pages.map((page, i): cloudwatch.IWidget[][] => [
      [pageText(page, i, pages.length)],
      ...page.map((target) => targetWidgets(target, forecasts)),
    ]);
    this.checkLimits([overviewRows, ...pageRows], targets.length);

    const dashboard = (constructId: string, dashboardName: string, rows: cloudwatch.IWidget[][]) =>
      new cloudwatch.Dashboard(this, constructId, {
        dashboardName,
        start: START,
        periodOverride: cloudwatch.PeriodOverride.INHERIT,
        widgets: rows,
      });
    this.overview = dashboard('Overview', name, overviewRows);
    this.targetDashboards = pageRows.map((rows, i) => dashboard(`Targets${i + 1}`, pageName(i), rows));
  }

  private checkLimits(dashboards: readonly cloudwatch.IWidget[][][], targetCount: number): void {
    let chars = 0;
    dashboards.forEach((rows, i) => {
      const rendered = renderWidgets(this, rows.flat());
      assertWithinDashboardLimits(`${this.node.path}/${i === 0 ? 'Overview' : `Targets${i}`}`, rendered);
      chars += bodyChars(rendered);
    });
    if (chars > DASHBOARD_TEMPLATE_BUDGET_CHARS) {
      throw new Error(
        `${this.node.path}: the dashboards for ${targetCount} targets take ${Math.ceil(chars / 1000)} KB of the CloudFormation template, more than the ${DASHBOARD_TEMPLATE_BUDGET_CHARS / 1000} KB they may use under its 1 MB limit: graph fewer targets with dashboard.targetIds (for example those in forecastAndScale), or set dashboard.enabled to false`,
      );
    }
  }
}

/** Validates the props with the app's config schema; returns the targets to graph, in order. */
function validate(
  scope: Construct,
  props: SelfHealDashboardProps,
): { targetsPerDashboard: number; targets: ScalingTarget[] } {
  const { predictiveScaling } = props.predictiveScaler.config;
  const config = parseAppConfig(
    {
      predictiveScaling: { targets: predictiveScaling.targets },
      dashboard: { targetsPerDashboard: props.targetsPerDashboard, targetIds: props.targetIds },
    },
    `the props of ${scope.node.path}`,
  );
  const byId = new Map(predictiveScaling.targets.map((t) => [t.id, t]));
  const ids = config.dashboard.targetIds ?? predictiveScaling.targets.map((t) => t.id);
  return {
    targetsPerDashboard: config.dashboard.targetsPerDashboard,
    targets: ids.flatMap((id) => byId.get(id) ?? []),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function overviewText(
  targetCount: number,
  pageCount: number,
  pageName: (i: number) => string,
  hasRemediation: boolean,
): cloudwatch.TextWidget {
  const pages =
    pageCount === 0
      ? 'No predictive-scaling targets are graphed.'
      : `Load and capacity against the forecasts, for ${targetCount} target(s): dashboards ${pageName(0)}${pageCount > 1 ? ` to ${pageName(pageCount - 1)}` : ''}.`;
  const remediation = hasRemediation
    ? "Remediation: each handler's events by outcome (the counts it emits, per its Powertools `service` dimension), the time to recover, and the malformed ledger items each function went on without."
    : 'Remediation: no rules are configured, so no engine is deployed.';
  return new cloudwatch.TextWidget({
    markdown: `## selfheal\n${pages} ${remediation} Alarm states below; what each alarm means and where to look: README, "Alarms".`,
    width: 24,
    height: TEXT_HEIGHT,
  });
}

function pageText(page: readonly ScalingTarget[], index: number, pageCount: number): cloudwatch.TextWidget {
  const ids = page.map((t) => t.id);
  return new cloudwatch.TextWidget({
    markdown: [
      `## Predictive scaling, targets ${ids[0]} to ${ids[ids.length - 1]} (dashboard ${index + 1} of ${pageCount})`,
      "Left: the load as the forecaster reads it (the target's loadMetric: same statistic, period and metric math) with the published LoadForecast and its upper bound. Right: the group's capacity with CapacityForecast and its upper bound, and on the right axis ForecastTrusted: 1 where the run that published the forecast trusted it, 0 where its trust gate refused it and it planned no capacity on it. Where ForecastTrusted is 1, a capacity line below the forecast means the group was short (for a forecastOnly target: would have been raised in forecastAndScale); where it is 0, the forecaster held back on purpose (actions an earlier trusted run wrote still run out). The forecasts are graphed at the target's current periodSec: those published before a change of it are another series.",
      `The group lines (${Object.values(GROUP_METRICS).join(', ')}) are AWS/AutoScaling group metrics, which a group sends only while group metrics collection is enabled on it (EnableMetricsCollection with granularity 1Minute, or MetricsCollection in CloudFormation); without it they stay empty.`,
    ].join('\n\n'),
    width: 24,
    height: TEXT_HEIGHT + 2,
  });
}
