import { describe, expect, it } from 'vitest';
import { readsOnce } from '../../../lambdas/core/remediation/engine-snapshot-holds';
import type { RemediationRecord } from '../../../lambdas/core/remediation/ledger';

describe('readsOnce', () => {
  it('reads each remediation once however often the snapshot asks, and each id apart', async () => {
    const asked: string[] = [];
    const reads = readsOnce({
      getRemediation: async (id) => {
        asked.push(id);
        return undefined as RemediationRecord | undefined;
      },
    });

    await Promise.all([
      reads.getRemediation('rem-a'),
      reads.getRemediation('rem-a'),
      reads.getRemediation('rem-b'),
    ]);
    await reads.getRemediation('rem-a');

    expect(asked).toEqual(['rem-a', 'rem-b']);
  });
});
