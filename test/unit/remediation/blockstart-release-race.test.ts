/**
 * Found by review of 6902425 (a first start SSM refuses for the moment waits `blocked`): its
 * first version of `blockStart` (lambdas/core/remediation/engine-start-failed.ts) moved the record
 * `started → blocked`, then gave its holds back with `releaseHolds`, which deletes whatever lock
 * and slots are held under the remediation's id. Between the two writes the record is already
 * `blocked`, so the sweeper (every minute) may re-drive it: the re-drive's `acquireHolds` is
 * re-entrant for the same remediation id, so it succeeds on the still-held holds, moves the record
 * to `started` and starts the automation. The handler's late `releaseHolds` then frees the lock and
 * slots of a remediation that is now running: another alarm on the same resource, or another
 * instance of the group, is let through (two automations on one resource; blast radius exceeded).
 * Before that change a refused first start went to `failed`, a terminal state, so the order did
 * not matter. A re-drive now waits 30 s after SSM's refusal (SSM_RETRY_AFTER_SEC), long after the
 * release.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../../lambdas/core/remediation/engine-ports';
import type { Ledger } from '../../../lambdas/core/remediation/ledger';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance } from './engine-deps';
import { A, groupDeps, holdsOf, INVOCATION } from './start-uncertain-fixtures';

describe('blockStart racing the sweeper', () => {
  it('is not re-driven before its holds are given back, and holds them once started', async () => {
    const deps = groupDeps();
    deps.automation.fail = new StartRefusedError('ThrottlingException: Rate exceeded (HTTP 400)', {
      kind: 'throttling',
    });
    const ledger = deps.ledger;
    const transition = ledger.transition.bind(ledger) as Ledger['transition'];
    let raced = false;
    // The sweep runs right after the handler's `started → blocked` write, before its release.
    ledger.transition = (async (...args: Parameters<Ledger['transition']>) => {
      const moved = await transition(...args);
      if (!raced && args[1] === 'started' && args[2] === 'blocked') {
        raced = true;
        deps.automation.fail = undefined;
        await sweepDeadlines(deps, 'sweep-1');
      }
      return moved;
    }) as Ledger['transition'];

    await handleAlarmEvent(alarmOnInstance('evt-a', A), deps, INVOCATION);

    // The sweep in between leaves it alone (it retries SSM 30 s after the refusal at the
    // earliest), so the starter's release frees only holds no automation uses.
    expect(raced).toBe(true);
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'blocked' });
    expect(await holdsOf(deps)).toEqual({ global: 0, group: 0, lockFree: true });

    // A minute later the sweep starts it, holding its resource lock, group slot and global slot.
    deps.clock.advance(60);
    await sweepDeadlines(deps, 'sweep-2');
    expect(await deps.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'verifying' });
    expect(deps.automation.requests).toHaveLength(1);
    expect(await holdsOf(deps)).toEqual({ global: 1, group: 1, lockFree: false });
  });
});
