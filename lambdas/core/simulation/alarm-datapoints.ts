import type { TargetTrackingConfig } from './target-tracking';

const EPS = 1e-9;

/**
 * How the simulated alarms see the trace: how long one evaluated datapoint is and how many
 * consecutive ones each alarm needs.
 */
export interface AlarmEvaluation {
  /**
   * Length of one evaluated datapoint. The metric period when it is coarser than the trace step
   * (several steps make one datapoint); else the step, which then stands for all its datapoints.
   */
  readonly datapointSec: number;
  /** Consecutive breaching evaluated datapoints the scale-out alarm needs. */
  readonly outDatapoints: number;
  /** Consecutive low evaluated datapoints the scale-in alarm needs. */
  readonly inDatapoints: number;
}

/**
 * The alarms of `config` on a trace of `stepSec` steps. With a metric period no coarser than the
 * step, the datapoints inside a step are taken to carry the step's value, so n datapoints take
 * n × period, rounded up to whole steps and at least one (a breach is only seen once a step's
 * datapoint is published). With a coarser period, a datapoint spans several steps and the alarms
 * count datapoints as configured.
 */
export function alarmEvaluation(
  config: Pick<TargetTrackingConfig, 'scaleOutDatapoints' | 'scaleInDatapoints' | 'metricPeriodSec'>,
  stepSec: number,
): AlarmEvaluation {
  const periodSec = config.metricPeriodSec ?? stepSec;
  const out = config.scaleOutDatapoints ?? 3;
  const low = config.scaleInDatapoints ?? 15;
  if (periodSec > stepSec * (1 + EPS))
    return { datapointSec: periodSec, outDatapoints: out, inDatapoints: low };
  const steps = (datapoints: number) => Math.max(1, Math.ceil((datapoints * periodSec) / stepSec - EPS));
  return { datapointSec: stepSec, outDatapoints: steps(out), inDatapoints: steps(low) };
}

/**
 * One alarm datapoint: the metric's Average over the steps it covers, kept as its two sums so
 * the comparison with the target needs no division (`load / instanceSteps` is the metric).
 */
export interface AlarmDatapoint {
  /** Total load over its steps. */
  readonly load: number;
  /** In-service instances summed over its steps: every serving instance reports each step. */
  readonly instanceSteps: number;
  /**
   * The load its metric implies on the capacity in service at its end (metric × that capacity):
   * what a scale-out sizes on. The mean load per step while the capacity held.
   */
  readonly impliedLoad: number;
}

/**
 * Groups trace steps into alarm datapoints of `datapointSec`, aligned on multiples of it since
 * the epoch, as CloudWatch's periods are. A step belongs to the datapoint its start falls in;
 * the datapoint is published at the end of its last step. A datapoint of `stepSec` or less holds
 * exactly one step. The trace's last, unfinished datapoint is never published.
 */
export class AlarmDatapoints {
  private load = 0;
  private instanceSteps = 0;
  private steps = 0;

  constructor(
    private readonly datapointSec: number,
    private readonly stepSec: number,
  ) {}

  /** Adds the step starting at `tSec`; returns the datapoint it completes, if any. */
  add(tSec: number, load: number, serving: number): AlarmDatapoint | undefined {
    this.load += load;
    this.instanceSteps += serving;
    this.steps++;
    if (this.periodOf(tSec + this.stepSec) === this.periodOf(tSec)) return undefined;
    const { load: sum, instanceSteps, steps } = this;
    this.load = 0;
    this.instanceSteps = 0;
    this.steps = 0;
    // While the capacity held, metric × capacity is the mean load; this form keeps one step exact.
    const held = instanceSteps === steps * serving;
    return { load: sum, instanceSteps, impliedLoad: held ? sum / steps : (sum * serving) / instanceSteps };
  }

  private periodOf(tSec: number): number {
    return Math.floor(tSec / this.datapointSec + EPS);
  }
}
