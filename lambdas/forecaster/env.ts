/** The forecaster's environment, validated once at cold start. */
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { FORECASTER_ENV } from '../../lib/config/env-names';
import { metricNamespaceSchema } from '../../lib/config/metric-namespace';
import { historyPointBudget, MIN_FUNCTION_MEMORY_MIB } from '../core/scaler/history-chunks';
import { envProblems } from '../runtime/env-problems';

/** An environment variable is missing or invalid; the message names it and the value received. */
export class ForecasterEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecasterEnvError';
  }
}

const trimmed = z.string().trim().min(1);

const schema = z.object({
  [FORECASTER_ENV.configFile]: trimmed,
  // Checked as the config checks it, untrimmed: the PutMetricData policy names this exact value.
  [FORECASTER_ENV.metricNamespace]: metricNamespaceSchema,
  /** CloudWatch takes dimension values of 1 to 1,024 characters. */
  [FORECASTER_ENV.stackName]: trimmed.max(1024),
  /** The `service` dimension of the run's metrics, which the TargetsFailed alarm reads. */
  POWERTOOLS_SERVICE_NAME: trimmed.max(1024),
  /** SDK standard-retry attempts, first try included (throttling is retried with backoff). */
  SELFHEAL_SDK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  /** Targets processed at once. */
  SELFHEAL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(16),
  LAMBDA_TASK_ROOT: trimmed.optional(),
  /**
   * The function's memory in MB, which Lambda sets; it bounds the history a run holds at once.
   * Outside Lambda, Lambda's smallest setting: the run then holds the least history at once.
   */
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: z.coerce
    .number()
    .int()
    .min(128)
    .max(10_240)
    .default(MIN_FUNCTION_MEMORY_MIB),
});

/** The forecaster's settings, frozen. */
export interface ForecasterEnv {
  /** Absolute path of the bundled configuration JSON. */
  readonly configPath: string;
  readonly metricNamespace: string;
  /** The `StackName` dimension of the forecasts published and read back. */
  readonly stackName: string;
  /** Powertools service name: the `service` key of the logs and dimension of the metrics. */
  readonly serviceName: string;
  readonly sdkMaxAttempts: number;
  readonly concurrency: number;
  /** History data points a run holds at once, from the function's memory (`historyPointBudget`). */
  readonly historyPointsPerChunk: number;
}

/**
 * Reads and checks the environment. Throws {@link ForecasterEnvError} such as
 * `SELFHEAL_SDK_MAX_ATTEMPTS: received "zero"; expected number, received NaN`.
 */
export function loadForecasterEnv(env: Readonly<Record<string, string | undefined>>): ForecasterEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = envProblems(parsed.error.issues, env);
    throw new ForecasterEnvError(`invalid forecaster environment:\n  - ${problems.join('\n  - ')}`);
  }
  const e = parsed.data;
  const file = e[FORECASTER_ENV.configFile];
  const root = e.LAMBDA_TASK_ROOT ?? process.cwd();
  return Object.freeze({
    configPath: isAbsolute(file) ? file : resolve(root, file),
    metricNamespace: e[FORECASTER_ENV.metricNamespace],
    stackName: e[FORECASTER_ENV.stackName],
    serviceName: e.POWERTOOLS_SERVICE_NAME,
    sdkMaxAttempts: e.SELFHEAL_SDK_MAX_ATTEMPTS,
    concurrency: e.SELFHEAL_CONCURRENCY,
    historyPointsPerChunk: historyPointBudget(e.AWS_LAMBDA_FUNCTION_MEMORY_SIZE),
  });
}
