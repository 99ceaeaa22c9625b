/**
 * A start whose alarm handler died inside StartAutomationExecution: the record left `started`
 * with no execution, its holds taken, for the tests of resuming (or refusing to resume) it.
 */
import { expect } from 'vitest';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { alarmOnInstance, type TestDeps, testDeps } from './engine-deps';

export const INSTANCE = 'i-0abc123def4567890';
export const ALARM = `disk-full-${INSTANCE}`;
/** The remediation of event `evt-1`. */
export const REMEDIATION = 'rem-evt-1';

/**
 * The next `count` StartAutomationExecution calls never answer: their callers are killed inside
 * them. With `reachSsm`, SSM takes each request first (the automation runs). Later calls answer.
 * Resolves with the last dying request once it has been made.
 */
export function nextStartsDie(
  deps: TestDeps,
  count = 1,
  { reachSsm = false }: { readonly reachSsm?: boolean } = {},
): Promise<StartAutomationRequest> {
  const start = deps.automation.start.bind(deps.automation);
  let dead = 0;
  return new Promise<StartAutomationRequest>((reached) => {
    deps.automation.start = async (request: StartAutomationRequest) => {
      if (dead >= count) return start(request);
      dead += 1;
      if (reachSsm) await start(request);
      if (dead === count) reached(request);
      return new Promise<string>(() => {});
    };
  });
}

/** The alarm handler (request req-1) is killed inside StartAutomationExecution; later starts answer. */
export async function startDied(): Promise<TestDeps> {
  const deps = testDeps();
  const reached = nextStartsDie(deps);
  void handleAlarmEvent(alarmOnInstance('evt-1', INSTANCE), deps, { requestId: 'req-1' });
  await reached;
  expect(await deps.ledger.getRemediation(REMEDIATION)).toMatchObject({ state: 'started' });
  return deps;
}
