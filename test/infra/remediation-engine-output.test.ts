import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthEngine } from './remediation-fixtures';

describe('RemediationEngine outputs', () => {
  it('exports the ledger table name for selfheal history --table', () => {
    const outputs = synthEngine().findOutputs('*', {
      Value: { Ref: Match.stringLikeRegexp('^RemediationLedger') },
      Description: Match.stringLikeRegexp('selfheal history --table'),
    });

    expect(Object.keys(outputs)).toEqual([expect.stringMatching(/^RemediationLedgerTableName/)]);
  });
});
