/**
 * The overview dashboard's graphs: the forecaster's runs, the remediation handlers' outcomes and
 * time to recover, and the state of the alarms the stack creates. Every handler metric comes from
 * `SelfhealFunction.metric`, the identity its alarms read, with the names the handlers emit
 * (lib/config/metric-names.ts).
 */
import { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { FORECASTER_METRICS, REMEDIATION_METRICS } from '../config/metric-names';
import type { PredictiveScaler } from './predictive-scaler';
import type { RemediationEngine } from './remediation-engine';
import type { SelfhealFunction } from './selfheal-function';

const HEIGHT = 6;
/** The forecaster runs hourly and emits one datapoint of each count per invocation. */
const RUN_PERIOD_SEC = 3600;
const OUTCOME_PERIOD_SEC = 300;
/** Resolutions are sparse; an hour gathers enough of them for percentiles to mean something. */
const RECOVERY_PERIOD_SEC = 3600;

/** Metrics only the sweeper emits (per sweep), not per event outcome. */
const SWEEPER_METRICS: readonly string[] = [
  REMEDIATION_METRICS.slotsReclaimed,
  REMEDIATION_METRICS.escalationsResent,
];
/** Malformed ledger items met, not events: graphed per function on their own, by the outcomes. */
const UNREADABLE = REMEDIATION_METRICS.unreadableLedgerItems;
/** One count per event outcome, which any of the three handlers may record. */
const OUTCOME_METRICS: readonly string[] = Object.values(REMEDIATION_METRICS).filter(
  (name) =>
    name !== REMEDIATION_METRICS.timeToRecover && name !== UNREADABLE && !SWEEPER_METRICS.includes(name),
);

/**
 * The forecaster's target counts per hourly run: each count's most in one invocation of the hour.
 * An hour can hold more than one invocation of a run, each emitting its counts: Lambda retries a
 * run that failed every target (it throws after emitting) twice, 1 and 2 minutes later, and a
 * manual run adds its own. Summed, those would show a run with 4 targets as 12 failed targets;
 * the maximum shows the run's size, and the worst invocation's failures. (The TargetsFailed alarm
 * keeps its Sum of 1 or more, which fires exactly when the Maximum is 1 or more.)
 */
export function forecasterRunsWidget(scaler: PredictiveScaler): cloudwatch.GraphWidget {
  const count = (name: string) =>
    scaler.forecaster.metric(name, { statistic: 'Maximum', periodSec: RUN_PERIOD_SEC, label: name });
  return new cloudwatch.GraphWidget({
    title: 'Forecaster: targets per hourly run (most in one invocation)',
    left: [
      count(FORECASTER_METRICS.targetsSucceeded),
      count(FORECASTER_METRICS.targetsFailed),
      count(FORECASTER_METRICS.targetsUntrusted),
    ],
    leftYAxis: { min: 0, showUnits: false },
    width: 12,
    height: HEIGHT,
  });
}

/**
 * The alarms on failures the functions record without throwing, and each function's errors and
 * dead-letter alarms, as two status widgets.
 */
export function alarmWidgets(
  scaler: PredictiveScaler,
  remediation: RemediationEngine | undefined,
): cloudwatch.AlarmStatusWidget[] {
  const partial: cloudwatch.IAlarm[] = [scaler.targetsFailedAlarm];
  const functions: SelfhealFunction[] = [scaler.forecaster];
  if (remediation !== undefined) {
    partial.push(...Object.values(remediation.metricAlarms));
    functions.push(remediation.alarmHandler, remediation.verifyHandler, remediation.sweeper);
  }
  const status = (title: string, alarms: cloudwatch.IAlarm[]) =>
    new cloudwatch.AlarmStatusWidget({
      title,
      alarms,
      sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      width: 6,
      height: HEIGHT,
    });
  return [
    status('Partial failures (README: Alarms)', partial),
    status(
      'Functions: errors and dead letters',
      functions.flatMap((fn) => [fn.errorsAlarm, fn.deadLetterAlarm]),
    ),
  ];
}

/**
 * Each remediation handler's events by outcome, then the time to recover and the malformed ledger
 * items each function met; rows of 24 units.
 */
export function remediationWidgets(remediation: RemediationEngine): cloudwatch.IWidget[][] {
  const counts = (title: string, fn: SelfhealFunction, names: readonly string[]) =>
    new cloudwatch.GraphWidget({
      title,
      left: names.map((name) =>
        fn.metric(name, { statistic: 'Sum', periodSec: OUTCOME_PERIOD_SEC, label: name }),
      ),
      leftYAxis: { min: 0, showUnits: false },
      width: 8,
      height: HEIGHT,
    });
  const recovery = (fn: SelfhealFunction, who: string) =>
    ['p50', 'p90', 'Maximum'].map((statistic) =>
      fn.metric(REMEDIATION_METRICS.timeToRecover, {
        statistic,
        periodSec: RECOVERY_PERIOD_SEC,
        label: `${who} ${statistic}`,
      }),
    );
  return [
    [
      counts('Alarm handler: events by outcome, per 5 min', remediation.alarmHandler, OUTCOME_METRICS),
      counts(
        'Verification handler: events by outcome, per 5 min',
        remediation.verifyHandler,
        OUTCOME_METRICS,
      ),
      counts('Sweeper: outcomes and sweeps, per 5 min', remediation.sweeper, [
        ...OUTCOME_METRICS,
        ...SWEEPER_METRICS,
      ]),
    ],
    [
      new cloudwatch.GraphWidget({
        title: `${REMEDIATION_METRICS.timeToRecover} of resolved remediations (seconds), per hour`,
        // Resolutions are recorded by the verification handler, by the sweeper (lost OK events,
        // re-driven starts) and by the alarm handler (a start whose automation had already ended).
        left: [
          ...recovery(remediation.verifyHandler, 'verification handler'),
          ...recovery(remediation.alarmHandler, 'alarm handler'),
          ...recovery(remediation.sweeper, 'sweeper'),
        ],
        leftYAxis: { min: 0, showUnits: false },
        width: 12,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: `${UNREADABLE}: malformed ledger items met, per 5 min (README: Alarms)`,
        left: [
          [remediation.alarmHandler, 'alarm handler'] as const,
          [remediation.verifyHandler, 'verification handler'] as const,
          [remediation.sweeper, 'sweeper'] as const,
        ].map(([fn, who]) =>
          fn.metric(UNREADABLE, { statistic: 'Sum', periodSec: OUTCOME_PERIOD_SEC, label: who }),
        ),
        leftYAxis: { min: 0, showUnits: false },
        width: 12,
        height: HEIGHT,
      }),
    ],
  ];
}
