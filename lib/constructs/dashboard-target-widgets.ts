/**
 * The graphs of one predictive-scaling target: its load against the published load forecast, and
 * its group's capacity against the published capacity forecast and whether the forecast was
 * trusted, each at the target's period.
 */
import { aws_cloudwatch as cloudwatch, Duration } from 'aws-cdk-lib';
import { resultQuery } from '../config/load-metric';
import { FORECAST_DIMENSIONS, FORECAST_METRICS } from '../config/metric-names';
import type { ScalingTarget } from '../config/schema';
import { targetLoadMetric } from './dashboard-load-metric';

/** Height of a target's graphs in dashboard grid units; the two fill one 24-unit row. */
const HEIGHT = 6;
const WIDTH = 12;
/** The capacity graph's right-axis line: whether the forecast at each step was trusted. */
export const TRUSTED_LABEL = `${FORECAST_METRICS.trusted} (1 trusted, 0 not: no capacity planned on it)`;

/**
 * The AWS/AutoScaling group metrics on the capacity graph. A group sends them only while group
 * metrics collection is enabled on it (EnableMetricsCollection, granularity 1Minute).
 */
export const GROUP_METRICS = {
  desired: 'GroupDesiredCapacity',
  inService: 'GroupInServiceInstances',
  minSize: 'GroupMinSize',
} as const;

/** Where the forecaster publishes its forecasts: its namespace and the `StackName` dimension's value. */
export interface ForecastSource {
  readonly namespace: string;
  readonly stackName: string;
}

/** The load graph and the capacity graph of one target, left to right. */
export function targetWidgets(target: ScalingTarget, forecasts: ForecastSource): cloudwatch.IWidget[] {
  const period = Duration.seconds(target.periodSec);
  const quantile = `p${Number((target.upperQuantile * 100).toPrecision(6))}`;
  // One datapoint per target and forecast step, so the average over the step is the value. The
  // series is the target's current period's: forecasts published before a periodSec change are
  // another series, not graphed (they were a sum over another period).
  const forecast = (metricName: string, label: string, statistic = 'Average') =>
    new cloudwatch.Metric({
      namespace: forecasts.namespace,
      metricName,
      dimensionsMap: {
        [FORECAST_DIMENSIONS.targetId]: target.id,
        [FORECAST_DIMENSIONS.stackName]: forecasts.stackName,
        [FORECAST_DIMENSIONS.periodSec]: String(target.periodSec),
      },
      statistic,
      period,
      label,
    });
  const group = (metricName: string, label: string) =>
    new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName,
      dimensionsMap: { AutoScalingGroupName: target.autoScalingGroupName },
      statistic: 'Average',
      period,
      label,
    });

  const load = new cloudwatch.GraphWidget({
    title: `${target.id}: load (${loadName(target)}) vs forecast, per ${target.periodSec} s`,
    left: [
      targetLoadMetric(target, 'load (as the forecaster reads it)'),
      forecast(FORECAST_METRICS.load, FORECAST_METRICS.load),
      forecast(FORECAST_METRICS.loadUpper, `${FORECAST_METRICS.loadUpper} (${quantile})`),
    ],
    leftYAxis: { min: 0, showUnits: false },
    width: WIDTH,
    height: HEIGHT,
  });
  const capacity = new cloudwatch.GraphWidget({
    title: `${target.id}: capacity of ${target.autoScalingGroupName} vs forecast (instances)`,
    left: [
      group(GROUP_METRICS.desired, 'desired'),
      group(GROUP_METRICS.inService, 'in service'),
      // Only forecastAndScale targets move the floor; for the others MinSize is a flat line.
      ...(target.mode === 'forecastAndScale'
        ? [group(GROUP_METRICS.minSize, 'MinSize (raised by the scheduled actions)')]
        : []),
      forecast(FORECAST_METRICS.capacity, FORECAST_METRICS.capacity),
      forecast(FORECAST_METRICS.capacityUpper, `${FORECAST_METRICS.capacityUpper} (${quantile})`),
    ],
    // 1 where the run that published the forecast trusted it, 0 where it planned nothing on it:
    // where it is 0, capacity under the forecast is the trust gate at work, not a scaling miss.
    // Minimum, so a step ever stored by two runs (a race the read-back cannot rule out) reads 0
    // if either withheld its trust.
    right: [forecast(FORECAST_METRICS.trusted, TRUSTED_LABEL, 'Minimum')],
    rightYAxis: { min: 0, max: 1, showUnits: false },
    leftAnnotations: [
      { value: target.minCapacity, label: `minCapacity ${target.minCapacity}` },
      { value: target.maxCapacity, label: `maxCapacity ${target.maxCapacity}` },
    ],
    leftYAxis: { min: 0, showUnits: false },
    width: WIDTH,
    height: HEIGHT,
  });
  return [load, capacity];
}

/** How the title names the load metric. */
function loadName(target: ScalingTarget): string {
  const m = target.loadMetric;
  if (m.type === 'predefined') return m.metric;
  const result = resultQuery(m);
  return `custom: ${result.Label ?? result.Id}`;
}
