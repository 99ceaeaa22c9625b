/**
 * A start that lost its closing write: between recording `started` and recording what
 * StartAutomationExecution answered, another attempt on the same remediation (a resume by a
 * redelivery or a re-drive: ./engine-redelivery, ./redrive-blocked) moved the record on. Both sent
 * the same ClientToken, so SSM ran at most one execution for them. The winner keeps the holds (taken
 * under the remediation's id, so they are the same ones), counted the remediation and settles or
 * escalates it; the loser only re-reads the record and says what it found.
 */
import type { EngineDeps } from './engine-ports';
import { aboutRemediation, type EngineResult } from './engine-result';
import type { StateConflictError } from './ledger';
import type { RemediationRecord } from './ledger-records';

/** What the losing attempt's own StartAutomationExecution did. */
export type LostStart = { readonly executionId: string } | { readonly failed: string };

/**
 * The losing attempt's result: `ignored`, naming the state the winner left. An execution this
 * attempt got on a remediation the winner closed without it (its own start failed) is named in the
 * reason, since nothing in the ledger tracks it.
 */
export async function startOvertaken(
  record: RemediationRecord,
  conflict: StateConflictError,
  deps: EngineDeps,
  lost: LostStart,
): Promise<EngineResult> {
  const current = (await deps.ledger.getRemediation(record.id)) ?? { ...record, state: conflict.actual };
  const recorded = current.executionId === undefined ? '' : ` (execution ${current.executionId})`;
  const found = `already ${current.state}${recorded}: a concurrent attempt moved it first`;
  const own =
    'failed' in lost
      ? `this attempt's start failed (${lost.failed})`
      : current.executionId === lost.executionId
        ? `this attempt's start returned the same execution`
        : `this attempt's start returned execution ${lost.executionId}, which the ledger does not track`;
  return {
    eventId: record.eventId,
    ...aboutRemediation(current),
    ...('executionId' in lost ? { executionId: lost.executionId } : {}),
    outcome: 'ignored',
    reason: `${found}; ${own}`,
  };
}
