import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import type { NewRemediation, RemediationRecord } from '../../../lambdas/core/remediation/ledger';
import { InMemoryLedger } from '../../../lambdas/core/remediation/ledger-memory';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const A = 'i-00000000000000001';
const OTHER_RULE = {
  ...DISK_RULE,
  id: 'disk-full-restart',
  match: { ...DISK_RULE.match, alarmNamePattern: 'disk-full-other-*' },
  document: { shipped: 'restart-service' },
  parameters: { InstanceId: '{{resourceId}}', ServiceName: 'app' },
};

/** What the refused lock write knows: someone holds it, not who or why. */
const REFUSED_LOCK = `the ledger refused the lock on ${A}: another remediation holds it (a concurrent start, or holds not yet released)`;

/** Interleaving: the lock winner records `started` only after the loser has been refused. */
class SlowStartLedger extends InMemoryLedger {
  override async createRemediation(record: NewRemediation): Promise<RemediationRecord> {
    if (record.state === 'started') await new Promise((resolve) => setTimeout(resolve, 20));
    return super.createRemediation(record);
  }
}

describe('lost race on the resource lock', () => {
  it('records the alarm whose lock write lost as blocked, and the sweeper re-drives it', async () => {
    const deps = testDeps({
      rules: [OTHER_RULE, DISK_RULE],
      ledger: (clock) => new SlowStartLedger(clock, { retentionDays: 7 }),
    });
    const other = alarmOnInstance('evt-other', A);

    const results = await Promise.all([
      handleAlarmEvent(alarmOnInstance('evt-disk', A), deps),
      handleAlarmEvent({ ...other, alarmName: `disk-full-other-${A}` }, deps),
    ]);

    expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
    const loser = results.find((r) => r.outcome !== 'started');
    // A real race: the winner's lock is there before its record, so only the write can tell.
    expect(loser?.reason).toContain(`resourceLock: ${REFUSED_LOCK}`);
    expect(await deps.ledger.getRemediation(loser?.remediationId ?? '')).toMatchObject({
      state: 'blocked',
      blockedBy: 'resourceLock',
    });
    deps.clock.advance(60);
    const sweep = await sweepDeadlines(deps, 'sweep-1');
    expect(sweep.results.find((r) => r.remediationId === loser?.remediationId)?.reason).toMatch(
      /^still blocked by resourceLock/,
    );
  });

  it('says the same, not a race, when the holder of the lock has no record (its holds were never given back)', async () => {
    const deps = testDeps();
    // A holder whose record is gone (deleted by hand) but whose lock stays until it expires.
    expect(await deps.ledger.acquireResourceLock(A, 'rem-deleted', deps.clock.nowSec() + 3600)).toBe(true);

    const refused = await handleAlarmEvent(alarmOnInstance('evt-disk', A), deps);

    expect(refused).toMatchObject({ outcome: 'skipped', remediationId: 'rem-evt-disk' });
    const record = await deps.ledger.getRemediation('rem-evt-disk');
    expect(record).toMatchObject({ state: 'blocked', blockedBy: 'resourceLock' });
    expect(record?.verdicts.find((v) => v.guardrail === 'resourceLock')).toEqual({
      guardrail: 'resourceLock',
      outcome: 'block',
      reason: `resourceLock: ${REFUSED_LOCK}`,
    });
    expect(deps.automation.requests).toHaveLength(0);
  });
});
