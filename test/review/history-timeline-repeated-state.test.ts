/**
 * Review: a remediation can enter a state twice (`started → blocked → started`: a resumed start
 * that could not take its holds back goes to blocked, engine-start.ts blockResume, and the sweeper
 * re-drives it, redrive-blocked.ts). `stateTimes` keeps one time per state and every transition
 * overwrites it (ledger-apply.ts applyTransition), so `history --id` shows the timeline starting
 * with `blocked` and loses the first start, the one whose SSM call may have gone out.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { InMemoryLedger } from '../../lambdas/core/remediation/ledger-memory';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { T0 } from '../cli/fixtures/history-records';
import { memoryIo } from '../cli/fixtures/memory-io';
import { FakeClock } from '../unit/remediation/ledger-fixtures';

describe('selfheal history --id timeline', () => {
  it('keeps the first start of a remediation that was blocked on resume and started again', async () => {
    const clock = new FakeClock(T0);
    const ledger = new InMemoryLedger(clock, { retentionDays: 90 });
    await ledger.createRemediation({
      id: 'rem-twice',
      ruleId: 'disk-full-cleanup',
      resourceId: 'i-0abc',
      alarmName: 'disk-full-i-0abc',
      eventId: 'evt-twice',
      mode: 'enforce',
      state: 'started',
      verdicts: [],
      documentName: 'SelfHeal-cleanup-directory',
      parameters: { Directory: ['/var/log/app/'] },
      clientToken: 'tok-twice',
      deadlineSec: T0 + 600,
    });
    clock.set(T0 + 120);
    await ledger.transition('rem-twice', 'started', 'blocked', { blockedBy: 'globalCap' });
    clock.set(T0 + 300);
    await ledger.transition('rem-twice', 'blocked', 'started', { deadlineSec: T0 + 900 });
    clock.set(T0 + 360);
    await ledger.transition('rem-twice', 'started', 'verifying', { executionId: 'exec-1' });

    const io = memoryIo();
    const code = await main(['history', '--table', 't', '--id', 'rem-twice'], io, {
      ...fakeDeps,
      openLedger: () => ledger,
    });
    const out = io.out.join('');

    expect(code).toBe(0);
    const timeline = out.slice(out.indexOf('timeline (UTC):'), out.indexOf('guardrails:'));
    // 2024-03-04T10:30:00Z: the first start, when the record was created.
    expect(timeline).toContain('  2024-03-04T10:30:00Z  started\n');
    expect(timeline).toContain('  2024-03-04T10:32:00Z  blocked\n');
    expect(timeline).toContain('  2024-03-04T10:35:00Z  started\n');
  });
});
