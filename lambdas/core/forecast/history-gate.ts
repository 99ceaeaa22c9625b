import { isoUtc } from '../series/iso-time';
import type { TrustVerdict } from './types';

/**
 * A gap longer than this makes the forecast untrusted for scaling, wherever it is: inside the
 * history (filled by interpolation) or after its last point (that point's age at decision time).
 * A history that stopped (a replaced target group, a changed dimension, a publisher that died)
 * would otherwise be forecast from days ago and still plan. Six hours is well above a healthy last
 * point's age in the deployed scaler: under two periods plus its 10-minute settling delay (2 h
 * 10 min at hourly periods), which leaves room for late data and a few missing hours.
 */
export const MAX_TRUSTED_GAP_SEC = 6 * 3600;

/**
 * For a load metric whose source reports nothing while there is no load (missing periods counted
 * as zero, see {@link HistoryTrustFacts.lastReportedSec}), the longest silence still read as idle:
 * a week covers nights, weekends and holidays of a quiet service; a longer one more likely means
 * the metric stopped (a replaced target group still configured), which {@link MAX_TRUSTED_GAP_SEC}
 * cannot see once the silence is counted as zeros.
 */
export const MAX_QUIET_SEC = 7 * 86_400;

/** What the history gate looks at: where the history's real data ends and how long its holes are. */
export interface HistoryTrustFacts {
  /**
   * CloudWatch returned the history incomplete: `PartialData` still after every page, or a message
   * about the whole GetMetricData call, which it then executed only in part (only a metric read
   * can say so).
   */
  readonly partial?: boolean;
  /** What CloudWatch said about the read; the verdict on an incomplete history quotes them. */
  readonly messages?: readonly string[];
  /** Time of the history's last observed (not interpolated) point, epoch seconds. */
  readonly lastPointSec: number;
  /**
   * Set when missing periods were counted as zero load (the source reports nothing while idle):
   * the time of the last datapoint the source actually reported. `lastPointSec` is then the last
   * period counted as zero, so only this can tell that the metric stopped.
   */
  readonly lastReportedSec?: number;
  /** Longest run of grid points inside the history that were filled by interpolation. */
  readonly longestGapSteps: number;
  readonly stepSec: number;
}

/**
 * The trust gate's history checks, after the model checks of `trustVerdict` (`core`): untrusted
 * when the history is partial (the reason quoting CloudWatch's messages), when its last point is more than {@link MAX_TRUSTED_GAP_SEC} old
 * at `nowSec`, when a metric whose silence counts as zero load has reported nothing for more than
 * {@link MAX_QUIET_SEC}, or when it holds a filled gap longer than {@link MAX_TRUSTED_GAP_SEC};
 * otherwise `core`. One rule for the
 * deployed scaler (`forecastTarget`) and the backtest's predictive floor, so the backtest trusts
 * exactly the forecasts the scaler would.
 */
export function historyTrust(core: TrustVerdict, facts: HistoryTrustFacts, nowSec: number): TrustVerdict {
  const limitHours = MAX_TRUSTED_GAP_SEC / 3600;
  if (facts.partial === true) {
    const said = facts.messages ?? [];
    return {
      trusted: false,
      reason:
        said.length === 0
          ? 'CloudWatch still reported PartialData after every page; history is incomplete'
          : `CloudWatch returned the history incomplete; it said: ${said.join('; ')}`,
    };
  }
  const ageSec = nowSec - facts.lastPointSec;
  if (ageSec > MAX_TRUSTED_GAP_SEC) {
    return {
      trusted: false,
      reason: `history stopped: the last point (${isoUtc(facts.lastPointSec)}) is ${(ageSec / 3600).toFixed(1)} h old; the limit is ${limitHours} h (metric stopped, dimension changed or target group replaced?)`,
    };
  }
  if (facts.lastReportedSec !== undefined && nowSec - facts.lastReportedSec > MAX_QUIET_SEC) {
    const days = (nowSec - facts.lastReportedSec) / 86_400;
    return {
      trusted: false,
      reason: `no datapoint reported for ${days.toFixed(1)} days (the last at ${isoUtc(facts.lastReportedSec)}): silence counts as zero load for up to ${MAX_QUIET_SEC / 86_400} days, as the metric reports nothing while idle; longer, it more likely stopped (target group replaced or dimension changed?)`,
    };
  }
  const gapSec = facts.longestGapSteps * facts.stepSec;
  if (gapSec > MAX_TRUSTED_GAP_SEC) {
    return {
      trusted: false,
      reason: `history has a gap of ${(gapSec / 3600).toFixed(1)} h (filled by interpolation); the limit is ${limitHours} h`,
    };
  }
  return core;
}
