import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { ledgerContract } from './ledger-contract';
import { RETENTION } from './ledger-fixtures';

ledgerContract('in memory', async (clock) => new InMemoryLedger(clock, RETENTION));
