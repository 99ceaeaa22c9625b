import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadForecasterEnv } from '../../../lambdas/forecaster/env';
import { FORECASTER_ENV } from '../../../lib/config/env-names';
import { ConfigError, parseAppConfig } from '../../../lib/config/parse';

const example = JSON.parse(readFileSync(new URL('../../../config/example.json', import.meta.url), 'utf8'));

/** The config check's problems for `metricNamespace`, or [] when it accepts it. */
function configProblems(metricNamespace: string): readonly string[] {
  const predictiveScaling = { ...example.predictiveScaling, metricNamespace };
  try {
    parseAppConfig({ ...example, predictiveScaling }, 'test.json');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

/** The forecaster's cold-start check of `metricNamespace`: its error, or the namespace it runs with. */
function forecasterEnv(metricNamespace: string): string {
  try {
    return loadForecasterEnv({
      [FORECASTER_ENV.configFile]: 'selfheal-config.json',
      [FORECASTER_ENV.metricNamespace]: metricNamespace,
      [FORECASTER_ENV.stackName]: 'SelfHeal',
      POWERTOOLS_SERVICE_NAME: 'SelfHeal-forecaster',
    }).metricNamespace;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const WHITE_SPACE =
  'must not start or end with white space: the PutMetricData permission, the alarms and the forecaster must all name the namespace exactly';

describe('predictiveScaling.metricNamespace', () => {
  it.each([
    ['trailing white space', 'SelfHeal/PredictiveScaling ', WHITE_SPACE],
    ['leading white space', ' SelfHeal/PredictiveScaling', WHITE_SPACE],
    ['only white space', '   ', WHITE_SPACE],
    [
      'a non-ASCII letter',
      'SelfHeal/Prévisions',
      'must hold only printable ASCII characters (space to ~), which PutMetricData requires; this one has "é" (U+00E9)',
    ],
    [
      'a non-ASCII dash',
      'SelfHeal–PredictiveScaling',
      'must hold only printable ASCII characters (space to ~), which PutMetricData requires; this one has "–" (U+2013)',
    ],
    [
      'a control character',
      'SelfHeal\tPredictiveScaling',
      'must hold only printable ASCII characters (space to ~), which PutMetricData requires; this one has "\\t" (U+0009)',
    ],
    [
      'a leading colon',
      ':SelfHeal/PredictiveScaling',
      'must not start with ":", which PutMetricData refuses (its namespace pattern is [^:].*)',
    ],
    ['the AWS/ prefix', 'AWS/EC2', 'must not start with AWS/ (reserved for AWS services)'],
    ['no character', '', "must be 1 to 255 characters (PutMetricData's limit); this one has 0"],
    [
      '256 characters',
      'N'.repeat(256),
      "must be 1 to 255 characters (PutMetricData's limit); this one has 256",
    ],
  ])('fails with %s, in the config and at the forecaster’s cold start alike', (_what, namespace, rule) => {
    const received = JSON.stringify(namespace);
    const shown = received.length > 80 ? `${received.slice(0, 77)}...` : received;

    expect(configProblems(namespace)).toEqual([
      `predictiveScaling.metricNamespace: received ${shown}; ${rule}`,
    ]);
    expect(forecasterEnv(namespace)).toContain(
      `${FORECASTER_ENV.metricNamespace}: received ${shown}; ${rule}`,
    );
  });

  it.each(['SelfHeal/PredictiveScaling', 'My App/Forecasts', 'team-a_v2.forecasts#1:prod', 'N'.repeat(255)])(
    'accepts %j, and the forecaster runs with it unchanged',
    (namespace) => {
      expect(configProblems(namespace)).toEqual([]);
      expect(forecasterEnv(namespace)).toBe(namespace);
    },
  );
});
