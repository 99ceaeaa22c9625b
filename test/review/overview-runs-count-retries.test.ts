/**
 * Review: the overview's "Forecaster: targets per hourly run" graph sums each count over the hour,
 * so an hour with more than one invocation shows more targets than a run has. A run whose every
 * target fails throws (AllTargetsFailedError, after emitting its counts) so that Lambda retries it,
 * and Lambda retries a failed asynchronous invocation twice, one and then two minutes later ("If the
 * function returns an error, by default Lambda attempts to run it two more times, with a one-minute
 * wait between the first two attempts, and two minutes between the second and third attempts",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). Each attempt
 * emits its own TargetsFailed, all in the same hour: with 4 targets the graph reads 12 failed
 * targets for the hour, exactly when an operator opens the overview to see what failed.
 */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORECASTER_METRICS } from '../../lib/config/metric-names';
import { parseAppConfig } from '../../lib/config/parse';
import { emitted, stdoutOf } from '../handlers/emf-capture';
import {
  context,
  cw,
  freezeDate,
  loadHandler,
  mockAws,
  NAMESPACE,
  scheduledEvent,
  targets,
} from '../handlers/forecaster-setup';
import { environmentOf, synthesizeApp } from '../handlers/synthesized-app';
import { dashboardNamed, graphedMetrics, graphTitled } from '../infra/dashboard-body';
import { exampleConfig } from '../infra/helpers';

/** A CloudWatch statistic over the datapoints of one period. */
function aggregate(stat: string | undefined, values: readonly number[]): number {
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'Maximum') return Math.max(...values);
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  if (stat === 'SampleCount') return values.length;
  throw new Error(`statistic ${stat} not modelled here`);
}

beforeEach(() => {
  freezeDate();
  mockAws();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('overview dashboard, forecaster runs graph', () => {
  it('shows as many failed targets for the hour as a run has, when Lambda retries a run that failed all', async () => {
    const configured = targets(4, { mode: 'forecastOnly' });
    const raw = exampleConfig();
    const s = synthesizeApp(
      parseAppConfig({
        ...raw,
        predictiveScaling: { ...raw.predictiveScaling, metricNamespace: NAMESPACE, targets: configured },
      }),
    );
    const overview = dashboardNamed(Template.fromStack(s.stack), 'DashboardOverview');
    const line = graphedMetrics(graphTitled(overview, 'Forecaster: targets per hourly run')).find(
      (m) => m.metricName === FORECASTER_METRICS.targetsFailed,
    );
    // Every target's history read is refused (a permission removed, say): the run fails them all.
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), {
        name: 'AccessDenied',
      }),
    );
    const { handler } = await loadHandler(configured, {
      ...environmentOf(s, s.stack.predictiveScaler.forecaster),
      POWERTOOLS_METRICS_DISABLED: 'false',
    });

    // The scheduled invocation and Lambda's two retries, within three minutes of each other.
    const out = await stdoutOf(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await expect(handler(scheduledEvent, context)).rejects.toThrow('all 4 target(s) failed');
      }
    });
    const failedPerInvocation = emitted(out, FORECASTER_METRICS.targetsFailed).map((m) => Number(m.value));

    expect(failedPerInvocation).toEqual([4, 4, 4]);
    expect(line?.period).toBe(3600);
    expect(aggregate(line?.stat, failedPerInvocation)).toBe(configured.length);
  }, 60_000);
});
