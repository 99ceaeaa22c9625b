/** The unreadable-holder scenarios on the in-memory ledger (DynamoDB on moto: test/emulator). */
import { MalformedRecordError, type RemediationRecord } from '../../../lambdas/core/remediation/ledger';
import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { RETENTION } from './ledger-fixtures';
import { unreadableHolderScenarios } from './unreadable-holder-scenarios';

/** The in-memory ledger reading some records as DynamoDB reads an item that lost `createdAtSec`. */
class LedgerWithBrokenItems extends InMemoryLedger {
  readonly broken = new Set<string>();

  override async getRemediation(id: string): Promise<RemediationRecord | undefined> {
    if (this.broken.has(id)) {
      throw new MalformedRecordError(`pk=REM#${id} sk=REM`, 'createdAtSec: missing; required (number)');
    }
    return super.getRemediation(id);
  }
}

unreadableHolderScenarios('in memory', async (clock) => {
  const ledger = new LedgerWithBrokenItems(clock, RETENTION);
  return { ledger, removeCreatedAt: async (id) => void ledger.broken.add(id) };
});
