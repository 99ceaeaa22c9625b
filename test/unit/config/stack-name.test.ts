import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lib/config/parse';

const example = JSON.parse(readFileSync(new URL('../../../config/example.json', import.meta.url), 'utf8'));

/**
 * The stackName refusals (prefix aws/amazon/amzn, more than 101 characters) come from SSM CreateDocument's rules for the shipped documents' names, `<stackName>-<key>`
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html:
 * Name pattern ^[a-zA-Z0-9_\-.]{3,128}$, prefixes aws, amazon, amzn reserved). Those documents are
 * deployed only with remediation rules (lib/stacks/selfheal-stack.ts: no RemediationEngine when
 * `remediation.rules` is empty). A forecaster-only stack creates no SSM document, and its name is
 * bound only by CloudFormation's rule (a letter, then letters, digits and '-', at most 128), which
 * the schema accepts (CloudFormation's stack name pattern
 * [A-Za-z][A-Za-z0-9-]{0,127}, as AWS documents it e.g. at
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CfnStackDetail.html). Found by
 * review: the refusals first applied to every config.
 */
describe('stackName of a config without remediation rules', () => {
  const forecasterOnly = { ...example, remediation: { rules: [] } };

  it.each(['AmazonShopScaler', 'aws-capacity', 'AmznRetail'])(
    'accepts %s: no SSM document is named after it',
    (stackName) => {
      expect(parseAppConfig({ ...forecasterOnly, stackName }, 'test.json').stackName).toBe(stackName);
    },
  );

  it('accepts a 128-character name, CloudFormation’s limit', () => {
    const stackName = `S${'x'.repeat(127)}`;
    expect(parseAppConfig({ ...forecasterOnly, stackName }, 'test.json').stackName).toBe(stackName);
  });
});
