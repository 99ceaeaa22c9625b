/** Emulator fixtures: the configuration under test and the seeded group and metrics. */
import {
  type AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';

export const NS = 'SelfHeal/Emulator';
/** The stack the forecaster belongs to: the `StackName` dimension of its forecasts. */
export const STACK_NAME = 'SelfHealEmulator';
export const LABEL = 'app/web-alb/50dc6c495c0c9188/targetgroup/web-tg/943f017f100becff';
export const HOUR = 3600;

/** Two targets on one group: ALB requests (forecastAndScale) and a custom metric (forecastOnly). */
export const config = {
  predictiveScaling: {
    metricNamespace: NS,
    targets: [
      {
        id: 'web',
        autoScalingGroupName: 'web-asg',
        loadMetric: { type: 'predefined', metric: 'ALBTargetGroupRequestCount', resourceLabel: LABEL },
        targetValue: 1000,
        mode: 'forecastAndScale',
        minCapacity: 1,
        maxCapacity: 10,
        periodSec: 3600,
        horizonHours: 24,
      },
      {
        id: 'sessions',
        autoScalingGroupName: 'web-asg',
        loadMetric: {
          type: 'custom',
          metricDataQueries: [
            {
              Id: 'load',
              MetricStat: { Metric: { Namespace: 'App/Load', MetricName: 'ActiveSessions' }, Stat: 'Sum' },
            },
          ],
        },
        targetValue: 50,
        minCapacity: 1,
        maxCapacity: 10,
        periodSec: 3600,
        horizonHours: 24,
      },
    ],
  },
};

/** A group with one foreign scheduled action, and 14 days of hourly ALB requests and sessions. */
export async function seed(cw: CloudWatchClient, asg: AutoScalingClient): Promise<void> {
  await asg.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'web-lc',
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
    }),
  );
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web-asg',
      LaunchConfigurationName: 'web-lc',
      MinSize: 1,
      MaxSize: 10,
      AvailabilityZones: ['us-east-1a'],
    }),
  );
  await asg.send(
    new PutScheduledUpdateGroupActionCommand({
      AutoScalingGroupName: 'web-asg',
      ScheduledActionName: 'nightly-report',
      StartTime: new Date(Date.now() + 6 * HOUR * 1000),
      MinSize: 4,
    }),
  );
  const end = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
  const hours = Array.from({ length: 14 * 24 }, (_, i) => end - (14 * 24 - i) * HOUR);
  const daily = (t: number, low: number, high: number, i: number) =>
    low + ((high - low) * (1 - Math.cos(((t % 86_400) / 86_400) * 2 * Math.PI))) / 2 + ((i * 37) % 11);
  const dims = [
    { Name: 'TargetGroup', Value: LABEL.slice(LABEL.indexOf('targetgroup/')) },
    { Name: 'LoadBalancer', Value: LABEL.slice(0, LABEL.indexOf('/targetgroup/')) },
  ];
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/ApplicationELB',
      MetricData: hours.map((t, i) => ({
        MetricName: 'RequestCount',
        Dimensions: dims,
        Timestamp: new Date(t * 1000),
        Value: daily(t, 500, 6000, i),
        Unit: 'Count',
      })),
    }),
  );
  await cw.send(
    new PutMetricDataCommand({
      Namespace: 'App/Load',
      MetricData: hours.map((t, i) => ({
        MetricName: 'ActiveSessions',
        Timestamp: new Date(t * 1000),
        Value: daily(t, 20, 300, i),
        Unit: 'Count',
      })),
    }),
  );
}
