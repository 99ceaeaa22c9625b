/** The remediation functions' environment, validated once at cold start. */
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { REMEDIATION_ENV } from '../../lib/config/env-names';
import { REMEDIATION_METRIC_NAMESPACE } from '../../lib/config/metric-names';
import { envProblems } from '../runtime/env-problems';

/** An environment variable is missing or invalid; the message names it and the value received. */
export class RemediationEnvError extends Error {
  override readonly name = 'RemediationEnvError';
}

const trimmed = z.string().trim().min(1);
const documentNames = trimmed.transform((text, ctx) => {
  try {
    const parsed = z.record(z.string().min(1), z.string().min(1)).safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON object of document key to deployed name' });
  return z.NEVER;
});

const schema = z.object({
  [REMEDIATION_ENV.configFile]: trimmed,
  [REMEDIATION_ENV.ledgerTable]: trimmed,
  [REMEDIATION_ENV.escalationTopicArn]: trimmed.regex(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN'),
  [REMEDIATION_ENV.automationRoleArn]: trimmed.regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\//,
    'expected an IAM role ARN',
  ),
  [REMEDIATION_ENV.documentNames]: documentNames,
  [REMEDIATION_ENV.documentPatternsFile]: trimmed,
  /** Lambda allows 1 to 900 seconds. */
  [REMEDIATION_ENV.functionTimeoutSec]: z.coerce.number().int().min(1).max(900),
  /** The `selfheal:stack` tag value of its OpsItems: SSM takes tag values of up to 256 characters. */
  [REMEDIATION_ENV.stackName]: trimmed.max(256),
  /** SDK standard-retry attempts, first try included (throttling is retried with backoff). */
  SELFHEAL_SDK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  POWERTOOLS_METRICS_NAMESPACE: trimmed.default(REMEDIATION_METRIC_NAMESPACE),
  /**
   * The function's service name, which carries its stack's name: the `service` dimension of its
   * metrics, which its alarms read (CloudWatch takes dimension values of 1 to 1,024 characters).
   */
  POWERTOOLS_SERVICE_NAME: trimmed.max(1024),
  LAMBDA_TASK_ROOT: trimmed.optional(),
  /**
   * The function's Region, which Lambda sets
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
   */
  AWS_REGION: trimmed,
});

/** The remediation functions' settings, frozen. */
export interface RemediationEnv {
  /** Absolute path of the bundled configuration JSON. */
  readonly configPath: string;
  readonly ledgerTable: string;
  readonly escalationTopicArn: string;
  readonly automationRoleArn: string;
  readonly documentNames: Readonly<Record<string, string>>;
  /** Absolute path of the bundled shipped-document parameter patterns (JSON). */
  readonly documentPatternsPath: string;
  /** The function's configured timeout, set by the construct that sets the timeout. */
  readonly functionTimeoutSec: number;
  /** The stack's name: the `selfheal:stack` tag on every OpsItem the function creates. */
  readonly stackName: string;
  readonly sdkMaxAttempts: number;
  readonly metricNamespace: string;
  /** Powertools service name: the `service` key of the logs and dimension of the metrics. */
  readonly serviceName: string;
  /**
   * The account and Region the function runs in, whose alarms alone it acts on: the account of
   * the automation role (the stack's own), the Region Lambda gives.
   */
  readonly home: { readonly account: string; readonly region: string };
}

/** Reads and checks the environment; throws {@link RemediationEnvError} listing every problem. */
export function loadRemediationEnv(env: Readonly<Record<string, string | undefined>>): RemediationEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = envProblems(parsed.error.issues, env);
    throw new RemediationEnvError(`invalid remediation environment:\n  - ${problems.join('\n  - ')}`);
  }
  const e = parsed.data;
  const inCodeRoot = (file: string) =>
    isAbsolute(file) ? file : resolve(e.LAMBDA_TASK_ROOT ?? process.cwd(), file);
  return Object.freeze({
    configPath: inCodeRoot(e[REMEDIATION_ENV.configFile]),
    ledgerTable: e[REMEDIATION_ENV.ledgerTable],
    escalationTopicArn: e[REMEDIATION_ENV.escalationTopicArn],
    automationRoleArn: e[REMEDIATION_ENV.automationRoleArn],
    documentNames: Object.freeze({ ...e[REMEDIATION_ENV.documentNames] }),
    documentPatternsPath: inCodeRoot(e[REMEDIATION_ENV.documentPatternsFile]),
    functionTimeoutSec: e[REMEDIATION_ENV.functionTimeoutSec],
    stackName: e[REMEDIATION_ENV.stackName],
    sdkMaxAttempts: e.SELFHEAL_SDK_MAX_ATTEMPTS,
    metricNamespace: e.POWERTOOLS_METRICS_NAMESPACE,
    serviceName: e.POWERTOOLS_SERVICE_NAME,
    home: Object.freeze({ account: accountOf(e[REMEDIATION_ENV.automationRoleArn]), region: e.AWS_REGION }),
  });
}

/** The account of an IAM role ARN the schema accepted (`arn:<partition>:iam::<account>:role/…`). */
function accountOf(roleArn: string): string {
  return roleArn.split(':')[4] ?? '';
}
