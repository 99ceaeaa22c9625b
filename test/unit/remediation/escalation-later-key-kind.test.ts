/**
 * A later escalation's evidence is stored under its own key, and finding that key is taken as
 * "this escalation was already added" (a re-send). One remediation can be escalated twice: the loser of a start race escalates `untrackedExecution` about the same
 * remediation the winner closed and escalated (lambdas/core/remediation/engine-start-overtaken.ts,
 * `escalateUntracked`: `remediation: { ...current, executionId }`). Both go to the same rule,
 * resource and alarm, so OpsCenter deduplicates both into the one open OpsItem (README: "its
 * OpsItem is deduplicated into any open one for the same rule, resource and alarm").
 *
 * so the key names the escalation's kind with the remediation id
 * (`selfheal:later:<kind>:<remediation id>`): when the winner's escalation was itself a later
 * one, the untracked-execution escalation is added beside it, not taken for its re-send (the
 * OpsItem must learn that an automation runs untracked: the one escalation asking the SRE to go
 * and stop something), and its own re-send still adds nothing.
 */
import { describe, expect, it } from 'vitest';
import type { EscalationInput } from '../../../lambdas/core/remediation/escalation';
import { sendEscalation } from '../../../lambdas/core/remediation/escalation-send';
import { FakeEscalator } from './engine-deps';
import { NOW, newRemediation } from './ledger-fixtures';

const ALARM = { name: 'disk-full-i-1', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:disk-full-i-1' };

function input(
  id: string,
  kind: EscalationInput['kind'],
  reason: string,
  atSec: number,
  extra: Partial<ReturnType<typeof newRemediation>> = {},
): EscalationInput {
  return {
    kind,
    reason,
    remediation: { ...newRemediation(id, extra), state: kind === 'startFailed' ? 'failed' : 'escalated' },
    alarm: ALARM,
    actions: [],
    ruleFrozen: false,
    nowSec: atSec,
  };
}

describe('an untracked-execution escalation about a remediation already added to the open OpsItem', () => {
  it('is added to the OpsItem too, not taken for a re-send of the winner’s escalation', async () => {
    const escalator = new FakeEscalator();
    escalator.deduplicates = true;
    // An earlier remediation's failure opened the OpsItem.
    await sendEscalation(escalator, input('rem-a', 'verificationFailed', 'alarm still in ALARM', NOW));
    // rem-x: the winner of the start race closed it startFailed; its escalation is a later one.
    const winner = await sendEscalation(
      escalator,
      input('rem-x', 'startFailed', 'StartAutomationExecution refused', NOW + 900),
    );
    expect(winner.record).toMatchObject({ opsItemId: 'oi-1', opsItemUpdated: true });

    // The loser's start had returned an execution: it escalates the untracked automation.
    const loser = await sendEscalation(
      escalator,
      input('rem-x', 'untrackedExecution', 'automation execution exec-9 is running untracked', NOW + 901, {
        executionId: 'exec-9',
      }),
    );

    const data = escalator.contents.get('oi-1')?.OperationalData ?? {};
    const laterKinds = Object.entries(data)
      .filter(([k]) => k.startsWith('selfheal:later:'))
      .map(([, v]) => (JSON.parse(v.Value) as { kind?: string }).kind);
    expect(loser.record.opsItemUpdated).toBe(true);
    // The OpsItem must hold the untracked-execution escalation the SNS message says was added.
    expect(laterKinds).toContain('untrackedExecution');
    expect(Object.keys(data).filter((k) => k.startsWith('selfheal:later:'))).toEqual([
      'selfheal:later:startFailed:rem-x',
      'selfheal:later:untrackedExecution:rem-x',
    ]);

    // A re-send of the untracked-execution escalation adds nothing more.
    const updates = escalator.updates.length;
    await sendEscalation(
      escalator,
      input('rem-x', 'untrackedExecution', 'automation execution exec-9 is running untracked', NOW + 960, {
        executionId: 'exec-9',
      }),
      loser.record,
    );
    expect(escalator.updates).toHaveLength(updates);
  });
});
