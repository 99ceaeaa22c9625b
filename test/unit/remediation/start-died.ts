/**
 * A start whose alarm handler died inside StartAutomationExecution: the record left `started`
 * with no execution, its holds taken, for the tests of resuming (or refusing to resume) it.
 */
import { expect } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';

export const INSTANCE = 'i-0abc123def4567890';
export const ALARM = `disk-full-${INSTANCE}`;
/** The remediation of event `evt-1`. */
export const REMEDIATION = 'rem-evt-1';

/** The alarm handler (request req-1) is killed inside StartAutomationExecution; later starts answer. */
export async function startDied(): Promise<TestDeps> {
  const deps = testDeps();
  const start = deps.automation.start.bind(deps.automation);
  const reached = new Promise<void>((sent) => {
    deps.automation.start = async () => {
      deps.automation.start = start;
      sent();
      return new Promise<string>(() => {});
    };
  });
  void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
  await reached;
  expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'started' });
  return deps;
}
