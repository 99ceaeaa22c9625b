/**
 * Review (failing test): README step 8 says "While a floor is held, the decision record says how
 * to release it (`actions.baseline.release`, naming the action and the group), and every run logs
 * it at WARN (`floor held`)". A run whose forecast the trust gate rejects reads no scheduled action
 * and writes no `actions` (run-cycle.ts), so its record says nothing of the floor and the handler,
 * which logs `floor held` from `actions.baseline.release`, logs nothing, while the held restore
 * stays on the group and keeps the floor. A gap of more than 6 h keeps a target untrusted while the
 * gap is in its lookback (up to 14 days), so an operator watching for `floor held` is told the
 * floor is gone for as long.
 */
import { describe, expect, it } from 'vitest';
import { restoreActionName, runForecastCycle } from '../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from '../unit/scaler/memory-ports';

const HOUR = 3600;
const GROUP = 'web-asg';
const web = target({ maxCapacity: 60 });

describe('a run with an untrusted forecast while a floor is held', () => {
  it('still says in its decision record that the floor is held and how to release it', async () => {
    // Arrange: an operator's MinSize 30 held by the 10:30 run; the load metric's last point is 09:00.
    const ports = new MemoryPorts();
    ports.addGroup(GROUP, 30, 60);
    ports.histories.set('web', { ok: true, value: dailyHistory(NOW_SEC, HOUR, 14, 200, 5000) });
    const first = await runForecastCycle([web], ports, fixedClock());
    expect(first.records[0]?.actions?.baseline.release).toContain('floor 30 is held');
    const later = NOW_SEC + 6 * HOUR; // 16:30: the history is 7.5 h old
    ports.advanceTo(later);

    // Act
    const summary = await runForecastCycle([web], ports, fixedClock(later));

    // Assert: the held restore still holds the floor, and the record says so.
    expect(summary.records[0]?.status).toBe('untrusted');
    expect(ports.ownActions(GROUP, 'web').some((a) => a.name === restoreActionName('web', true))).toBe(true);
    expect(summary.records[0]?.actions?.baseline.release ?? 'no release in the record').toContain(
      'floor 30 is held',
    );
  });
});
