/** The closed-holds scenarios on the in-memory ledger (DynamoDB on moto: test/emulator). */
import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { closedHolderScenarios } from './closed-holder-scenarios';
import { closingCountScenarios } from './closing-count-scenarios';
import { RETENTION } from './ledger-fixtures';

closedHolderScenarios('in memory', async (clock) => new InMemoryLedger(clock, RETENTION));
closingCountScenarios('in memory', async (clock) => new InMemoryLedger(clock, RETENTION));
