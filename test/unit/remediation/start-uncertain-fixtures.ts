/**
 * Fixtures shared by the tests of starts without a certain answer (engine-start-uncertain) and of
 * resumed starts SSM refuses (engine-start-refused-resume, engine-start-refused-redeploy): two
 * instances in one 2-instance group at the disk rule's 34 % blast radius (one slot), the SSM errors
 * the adapter hands the engine, a probe of the holds, and A's start left uncertain.
 */
import { expect } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError, StartUncertainError } from '../../../lambdas/core/remediation/engine-ports';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';

export const A = 'i-00000000000000001';
export const B = 'i-00000000000000002';
export const GROUP = { name: 'web-asg', instancesInService: 2 };
/** The invocation's request id, which Lambda's retries of it share. */
export const INVOCATION = { requestId: 'req-1' };

export const timedOut = () =>
  new StartUncertainError(
    'TimeoutError: the request socket timed out after 3000 ms of inactivity (no answer)',
  );

/** SSM refused the request itself: what an earlier identical request got too. */
export const invalidParameters = () =>
  new StartRefusedError(
    'InvalidAutomationExecutionParametersException: Parameter "Directory" is invalid (HTTP 400)',
    { kind: 'request' },
  );

/** Both instances in one 2-instance group; the disk rule's blast radius is 34 % (one slot). */
export function groupDeps(extra?: object): TestDeps {
  const deps = testDeps(extra === undefined ? {} : { extra });
  deps.groups.groups.set(A, GROUP);
  deps.groups.groups.set(B, GROUP);
  return deps;
}

/** The global and group slots held, and whether A's lock is free (taking it if so). */
export async function holdsOf(deps: TestDeps) {
  return {
    global: await deps.ledger.activeGlobalSlots(),
    group: await deps.ledger.activeGroupSlots(GROUP.name),
    lockFree: await deps.ledger.acquireResourceLock(A, 'rem-probe', deps.clock.nowSec() + 60),
  };
}

/** A's start: SSM started the execution, its answer lost; the fake SSM has it InProgress. */
export async function uncertainOnA(deps: TestDeps) {
  const event = alarmOnInstance('evt-a', A);
  deps.automation.answerLost = timedOut();
  expect(await handleAlarmEvent(event, deps, INVOCATION)).toMatchObject({ outcome: 'startUncertain' });
  deps.automation.answerLost = undefined;
  const token = deps.automation.requests[0]?.ClientToken;
  expect(deps.automation.statuses.get(`exec-${token}`)).toBe('InProgress');
  return { event, token };
}

/** B's alarm is refused by the group's blast radius, and nothing is sent for B. */
export async function expectBBlocked(deps: TestDeps) {
  const other = await handleAlarmEvent(alarmOnInstance('evt-b', B), deps);
  expect(other).toMatchObject({ outcome: 'skipped' });
  expect(await deps.ledger.getRemediation('rem-evt-b')).toMatchObject({
    state: 'blocked',
    blockedBy: 'blastRadius',
  });
  expect(deps.automation.requests.map((r) => r.Parameters.InstanceId)).not.toContainEqual([B]);
}
