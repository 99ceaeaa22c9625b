/**
 * Escalations list the rule's earlier actions on the resource (`Ledger.listActions`). That list is
 * evidence for a person, not a decision: a malformed ledger item among the records read (a hand
 * edit, a bug) is left out and named in the evidence, and the escalation goes, instead of failing
 * every escalation (and the sweeper's re-sends) until the item is fixed. The in-memory ledger
 * here lists the actions as the DynamoDB ledger does, with malformed items in them
 * (test/emulator/escalation-malformed-moto.test.ts runs the same on a hand-edited DynamoDB item).
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { EscalationNotDeliveredError } from '../../../lambdas/core/remediation/escalation-send';
import { MalformedRecordError, type RemediationRecord } from '../../../lambdas/core/remediation/ledger';
import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';
import { RETENTION } from './ledger-fixtures';

const INSTANCE = 'i-0abc123def4567890';
const BROKEN = new MalformedRecordError('pk=REM#r-bad sk=REM', 'createdAtSec: missing; required (number)');
/** BROKEN as the result names it, for the handler to log and count (UnreadableLedgerItems). */
const ITEM = { key: BROKEN.key, problem: BROKEN.problem };
const NAMED =
  '1 ledger item could not be read and is left out of the earlier actions: pk=REM#r-bad sk=REM (createdAtSec: missing; required (number))';

/** The in-memory ledger with `malformed` items at the top of every action listing, read as DynamoDB reads them. */
class LedgerWithMalformedActions extends InMemoryLedger {
  readonly malformed: MalformedRecordError[] = [];

  override async listActions(
    ruleId: string,
    resourceId: string,
    limit: number,
  ): Promise<(RemediationRecord | MalformedRecordError)[]> {
    return [...this.malformed, ...(await super.listActions(ruleId, resourceId, limit))].slice(0, limit);
  }
}

function depsWithMalformedActions(rules?: readonly object[]) {
  let ledger: LedgerWithMalformedActions | undefined;
  const deps = testDeps({
    ...(rules === undefined ? {} : { rules }),
    ledger: (clock) => {
      ledger = new LedgerWithMalformedActions(clock, RETENTION);
      return ledger;
    },
  });
  if (ledger === undefined) throw new Error('no ledger built');
  return { deps, malformed: ledger.malformed };
}

/** Starts a remediation on INSTANCE and returns its failed automation's status event. */
async function startedThenFailed(deps: TestDeps) {
  const started = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);
  return automationStatus('auto-1', 'Failed', started.executionId ?? '');
}

describe('an escalation whose read of the earlier actions meets a malformed ledger item', () => {
  it('escalates a failed automation, the item left out of the actions and named in the evidence', async () => {
    const { deps, malformed } = depsWithMalformedActions();
    const failed = await startedThenFailed(deps);
    malformed.push(BROKEN);

    const result = await handleAutomationEvent(failed, deps);

    expect(result).toMatchObject({ outcome: 'verificationFailed', escalation: { snsMessageId: 'msg-1' } });
    expect(result.unreadableLedgerItems).toEqual([ITEM]);
    const [sent] = deps.escalator.notifications;
    expect(sent?.message).toContain(NAMED);
    expect(sent?.message).toContain('"remediationId": "rem-evt-1"');
    expect(sent?.message).toContain('"unreadableLedgerItems": [');
    const [opsItem] = deps.escalator.opsItems;
    expect(opsItem?.Description).toContain(NAMED);
    expect(opsItem?.OperationalData['selfheal:unreadable']?.Value).toBe(
      JSON.stringify([{ key: BROKEN.key, problem: BROKEN.problem }]),
    );
  });

  it('escalates an alarm refused by the frequency limit', async () => {
    const { deps, malformed } = depsWithMalformedActions([{ ...DISK_RULE, limits: { maxPerResource: 1 } }]);
    await deps.ledger.recordRemediation(DISK_RULE.id, INSTANCE, deps.clock.nowSec() - 60, 'earlier');
    malformed.push(BROKEN);

    const result = await handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps);

    expect(result).toMatchObject({ outcome: 'escalated', escalation: { kind: 'frequencyLimit' } });
    expect(result.unreadableLedgerItems).toEqual([ITEM]);
    expect(deps.escalator.notifications[0]?.message).toContain(NAMED);
  });

  it('lets the sweeper re-send an escalation SNS refused, the item named', async () => {
    const { deps, malformed } = depsWithMalformedActions();
    const failed = await startedThenFailed(deps);
    deps.escalator.snsFails = true;
    await expect(handleAutomationEvent(failed, deps)).rejects.toBeInstanceOf(EscalationNotDeliveredError);
    deps.escalator.snsFails = false;
    malformed.push(BROKEN);
    deps.clock.advance(61);

    const sweep = await sweepDeadlines(deps, 'sweep-1');

    expect(sweep.errors).toEqual([]);
    expect(sweep.resentEscalations).toBe(1);
    expect(sweep.unreadableLedgerItems).toEqual([ITEM]);
    expect(deps.escalator.notifications[0]?.message).toContain(NAMED);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.escalation?.snsMessageId).toBe('msg-1');
  });

  it('names every unreadable item, counted', async () => {
    const { deps, malformed } = depsWithMalformedActions();
    const failed = await startedThenFailed(deps);
    const odd = new MalformedRecordError('pk=REM#r-odd sk=REM', 'state: received "gone"');
    malformed.push(BROKEN, odd);

    const result = await handleAutomationEvent(failed, deps);

    expect(result.unreadableLedgerItems).toEqual([ITEM, { key: odd.key, problem: odd.problem }]);
    expect(deps.escalator.notifications[0]?.message).toContain(
      '2 ledger items could not be read and are left out of the earlier actions: pk=REM#r-bad sk=REM (createdAtSec: missing; required (number)); pk=REM#r-odd sk=REM (state: received "gone")',
    );
  });
});
