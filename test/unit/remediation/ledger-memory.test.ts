import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { ledgerContract } from './ledger-contract';
import { pendingEscalationContract } from './ledger-contract-pending';
import { RETENTION } from './ledger-fixtures';

ledgerContract('in memory', async (clock) => new InMemoryLedger(clock, RETENTION));
pendingEscalationContract('in memory', async (clock) => new InMemoryLedger(clock, RETENTION));
