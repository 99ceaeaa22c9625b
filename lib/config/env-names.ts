/**
 * Environment variable names shared by the CDK constructs (which set them) and the Lambda
 * handlers (which read them, once, through a zod schema). Names only: no values, no logic.
 */
export const FORECASTER_ENV = {
  /** Path, relative to the function's code root, of the validated JSON config bundled with it. */
  configFile: 'SELFHEAL_CONFIG_FILE',
  /** CloudWatch namespace for published forecasts (PutMetricData is limited to it). */
  metricNamespace: 'SELFHEAL_METRIC_NAMESPACE',
} as const;

/** File name of the configuration bundled next to each handler. */
export const BUNDLED_CONFIG_FILE = 'selfheal-config.json';
