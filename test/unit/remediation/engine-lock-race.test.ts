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
    expect(loser?.reason).toContain('resourceLock: another remediation took the lock');
    // A real race: the winner's lock is there before its record, so only the write can tell.
    expect(loser?.reason).toContain('(ledger write refused)');
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
});
