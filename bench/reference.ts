/**
 * Reference MASE figures copied from FORECAST-PROTOCOL.md, "Reference figures" (R 4.2.2 forecast
 * 8.20; statsmodels 0.13.5), including its "median over these six" rows. Data, not code: do not edit.
 */
export const REFERENCE_METHODS = [
  'snaive',
  'naive',
  'hw_damped',
  'stlf_ets',
  'arima_fourier',
  'tbats',
] as const;

type Row = readonly [number, number, number, number, number, number];

/** Per reference series: MASE at 1 h and 24 h, columns in {@link REFERENCE_METHODS} order. */
export const REFERENCE_SERIES: Readonly<Record<string, { h1: Row; h24: Row }>> = {
  'realAWSCloudwatch/elb_request_count_8c0756': {
    h1: [0.998, 0.758, 0.766, 0.749, 0.705, 0.692],
    h24: [0.923, 0.79, 0.734, 0.735, 0.706, 0.669],
  },
  'realAWSCloudwatch/ec2_cpu_utilization_5f5533': {
    h1: [0.757, 0.515, 0.484, 0.503, 0.474, 0.475],
    h24: [0.62, 0.622, 0.508, 0.521, 0.507, 0.513],
  },
  'realAWSCloudwatch/grok_asg_anomaly': {
    h1: [4.445, 0.964, 0.976, 1.495, 2.281, 3.71],
    h24: [4.325, 1.203, 1.251, 1.701, 2.379, 4.045],
  },
  'realKnownCause/nyc_taxi': {
    h1: [2.352, 0.671, 0.408, 0.244, 0.27, 0.171],
    h24: [1.767, 2.222, 11.532, 2.473, 1.382, 1.669],
  },
  'realTweets/Twitter_volume_AAPL': {
    h1: [1.078, 0.616, 1.125, 0.861, 0.611, 0.59],
    h24: [0.785, 0.549, 0.669, 0.969, 0.787, 0.511],
  },
  'realTweets/Twitter_volume_GOOG': {
    h1: [0.975, 0.705, 0.665, 0.65, 0.562, 0.572],
    h24: [1.144, 1.181, 1.227, 1.087, 1.032, 0.938],
  },
};

/** The protocol's "median over these six" rows. */
export const REFERENCE_MEDIAN: { h1: Row; h24: Row } = {
  h1: [1.038, 0.688, 0.715, 0.7, 0.586, 0.581],
  h24: [1.034, 0.985, 0.981, 1.028, 0.909, 0.804],
};

/** Accuracy targets of this phase: the auto-selected model's median MASE must not exceed these. */
export const TARGET_MEDIAN_MASE = { h1: 0.58, h24: 0.8 } as const;
