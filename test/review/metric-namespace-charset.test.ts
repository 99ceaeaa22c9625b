/**
 * Review: `predictiveScaling.metricNamespace` is checked for length and the `AWS/` prefix only,
 * but PutMetricData takes "ASCII characters for the namespace, except for control characters"
 * and the pattern `[^:].*` (no leading colon):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html.
 * A namespace outside that passes the config check and synth, then every forecaster run's
 * PutMetricData is refused: no forecast is ever published.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseAppConfig } from '../../lib/config/parse';
import { exampleConfig } from '../infra/helpers';

function problemsOf(metricNamespace: string): readonly string[] {
  const raw = exampleConfig();
  raw.predictiveScaling.metricNamespace = metricNamespace;
  try {
    parseAppConfig(raw, 'review.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('predictiveScaling.metricNamespace', () => {
  it.each([
    ['a non-ASCII letter', 'SelfHeal/Prévisions'],
    ['a non-ASCII dash', 'SelfHeal–PredictiveScaling'],
    ['a leading colon', ':SelfHeal/PredictiveScaling'],
    ['a control character', 'SelfHeal\tPredictiveScaling'],
  ])('fails when it has %s, which PutMetricData refuses', (_what, namespace) => {
    expect(problemsOf(namespace).join('\n')).toMatch(/^predictiveScaling\.metricNamespace: received /m);
  });
});
