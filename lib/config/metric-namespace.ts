/**
 * The valid form of the forecaster's CloudWatch namespace (`predictiveScaling.metricNamespace`):
 * one rule, checked by the config schema at synth and by the forecaster's environment check at cold
 * start, so that the PutMetricData policy, the alarms, the environment and the published metrics
 * all carry one and the same value.
 */
import * as z from 'zod';

const MAX_LENGTH = 255;

/**
 * Why `namespace` cannot be the forecaster's namespace, or `undefined`. PutMetricData takes 1 to
 * 255 "ASCII characters ... except for control characters" matching `[^:].*`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html) and
 * a namespace must hold a non-white-space character (CloudWatch concepts, "Namespaces"); `AWS/`
 * is AWS's own. White space around the name is refused rather than trimmed: the value goes
 * untouched into the PutMetricData policy's `cloudwatch:namespace` condition and the alarms.
 */
export function metricNamespaceProblem(namespace: string): string | undefined {
  if (namespace.length === 0 || namespace.length > MAX_LENGTH) {
    return `must be 1 to ${MAX_LENGTH} characters (PutMetricData's limit); this one has ${namespace.length}`;
  }
  if (namespace.trim() !== namespace) {
    return 'must not start or end with white space: the PutMetricData permission, the alarms and the forecaster must all name the namespace exactly';
  }
  const outside = [...namespace].find((c) => c < ' ' || c > '~');
  if (outside !== undefined) {
    const code = (outside.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `must hold only printable ASCII characters (space to ~), which PutMetricData requires; this one has ${JSON.stringify(outside)} (U+${code})`;
  }
  if (namespace.startsWith(':')) {
    return 'must not start with ":", which PutMetricData refuses (its namespace pattern is [^:].*)';
  }
  if (namespace.startsWith('AWS/')) {
    return 'must not start with AWS/ (reserved for AWS services)';
  }
  return undefined;
}

/** A string that is a valid forecaster namespace (see {@link metricNamespaceProblem}). */
export const metricNamespaceSchema = z.string().superRefine((namespace, ctx) => {
  const message = metricNamespaceProblem(namespace);
  if (message !== undefined) ctx.addIssue({ code: 'custom', message });
});
