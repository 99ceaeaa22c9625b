/**
 * The engine's main flows, table-driven over the in-memory ledger and fakes: each case is a
 * sequence of steps (alarm, automation status, alarm OK, sweep) with the outcome each must give,
 * then the number of starts and escalations and the record's final state.
 */
import { describe, expect, it } from 'vitest';
import type { AutomationStatus } from '../../../lambdas/core/remediation/automation-event';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { StartRefusedError } from '../../../lambdas/core/remediation/engine-ports';
import type { EngineResult } from '../../../lambdas/core/remediation/engine-result';
import type { RemediationState } from '../../../lambdas/core/remediation/ledger';
import { handleAutomationEvent } from '../../../lambdas/core/remediation/verification-automation';
import { sweepDeadlines } from '../../../lambdas/core/remediation/verification-sweep';
import { alarmOnInstance, automationStatus, type TestDeps, testDeps } from './engine-deps';
import { DISK_RULE } from './helpers';

const I = 'i-0abc123def4567890';
const ALARM_NAME = `disk-full-${I}`;

type Step =
  | { readonly alarm: string }
  | { readonly ok: string }
  | { readonly automation: string }
  | { readonly sweep: true }
  | { readonly wait: number }
  | { readonly alarmState: 'OK' | 'ALARM' }
  /** What GetAutomationExecution answers for the execution from now on (no status event). */
  | { readonly ssmStatus: AutomationStatus }
  | { readonly startFails: true };

interface Case {
  readonly name: string;
  readonly rule?: object;
  readonly arrange?: (deps: TestDeps) => Promise<void>;
  readonly steps: ReadonlyArray<readonly [Step, string | undefined]>;
  readonly starts: number;
  readonly notifications: number;
  readonly finalState: RemediationState;
}

const CASES: readonly Case[] = [
  {
    name: 'alarm, start, success with the alarm OK → resolved',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ wait: 120 }, undefined],
      [{ alarmState: 'OK' }, undefined],
      [{ automation: 'Success' }, 'resolved'],
    ],
    starts: 1,
    notifications: 0,
    finalState: 'resolved',
  },
  {
    name: 'alarm, start, the alarm’s own OK event after the automation ended → resolved',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ ssmStatus: 'Success' }, undefined],
      [{ ok: 'evt-ok' }, 'resolved'],
    ],
    starts: 1,
    notifications: 0,
    finalState: 'resolved',
  },
  {
    name: 'the alarm’s OK while the automation runs → verifying; its success → resolved',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ ok: 'evt-ok' }, 'verifying'],
      [{ alarmState: 'OK' }, undefined],
      [{ automation: 'Success' }, 'resolved'],
    ],
    starts: 1,
    notifications: 0,
    finalState: 'resolved',
  },
  {
    name: 'the alarm’s OK while the automation runs, then it fails → failed and escalated',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ ok: 'evt-ok' }, 'verifying'],
      [{ automation: 'Failed' }, 'verificationFailed'],
    ],
    starts: 1,
    notifications: 1,
    finalState: 'failed',
  },
  {
    name: 'the alarm’s OK after the automation failed unseen (status event lost) → failed and escalated',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ ssmStatus: 'Failed' }, undefined],
      [{ ok: 'evt-ok' }, 'verificationFailed'],
    ],
    starts: 1,
    notifications: 1,
    finalState: 'failed',
  },
  {
    name: 'success but still in ALARM past the deadline → escalated by the sweep',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ automation: 'Success' }, 'verifying'],
      [{ wait: 601 }, undefined],
      [{ sweep: true }, 'verificationFailed'],
    ],
    starts: 1,
    notifications: 1,
    finalState: 'escalated',
  },
  {
    name: 'automation failed → failed and escalated',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ automation: 'Failed' }, 'verificationFailed'],
    ],
    starts: 1,
    notifications: 1,
    finalState: 'failed',
  },
  {
    name: 'duplicate delivery → one start',
    steps: [
      [{ alarm: 'evt-1' }, 'started'],
      [{ alarm: 'evt-1' }, 'duplicate'],
    ],
    starts: 1,
    notifications: 0,
    finalState: 'verifying',
  },
  {
    name: 'fourth alarm in 24 h → escalated without acting',
    arrange: async (deps) => {
      for (const n of [1, 2, 3])
        await deps.ledger.recordRemediation(DISK_RULE.id, I, deps.clock.nowSec() - n * 3600, `old-${n}`);
    },
    steps: [[{ alarm: 'evt-1' }, 'escalated']],
    starts: 0,
    notifications: 1,
    finalState: 'escalated',
  },
  {
    name: 'dryRun rule → recorded, nothing started',
    rule: { mode: 'dryRun' },
    steps: [[{ alarm: 'evt-1' }, 'dryRun']],
    starts: 0,
    notifications: 0,
    finalState: 'dryRun',
  },
  {
    name: 'observe rule → recorded and notified, nothing started',
    rule: { mode: 'observe' },
    steps: [[{ alarm: 'evt-1' }, 'observed']],
    starts: 0,
    notifications: 1,
    finalState: 'observed',
  },
  {
    name: 'SSM refuses the start → failed and escalated',
    steps: [
      [{ startFails: true }, undefined],
      [{ alarm: 'evt-1' }, 'startFailed'],
    ],
    starts: 0,
    notifications: 1,
    finalState: 'failed',
  },
];

async function run(step: Step, deps: TestDeps, executionId: string): Promise<EngineResult | undefined> {
  if ('alarm' in step) return handleAlarmEvent(alarmOnInstance(step.alarm, I), deps);
  if ('ok' in step) return handleAlarmEvent(alarmOnInstance(step.ok, I, 'OK'), deps);
  if ('automation' in step) {
    return handleAutomationEvent(
      automationStatus(`auto-${step.automation}`, step.automation, executionId),
      deps,
    );
  }
  if ('sweep' in step) return (await sweepDeadlines(deps, 'sweep-1')).results[0];
  if ('wait' in step) deps.clock.advance(step.wait);
  else if ('alarmState' in step) deps.alarms.states.set(ALARM_NAME, step.alarmState);
  else if ('ssmStatus' in step) deps.automation.statuses.set(executionId, step.ssmStatus);
  else
    deps.automation.fail = new StartRefusedError(
      'InvalidAutomationExecutionParametersException: Parameter "Directory" is invalid (HTTP 400)',
      { kind: 'request' },
    );
  return undefined;
}

describe('remediation engine flows (in-memory ledger)', () => {
  it.each(CASES)('$name', async (c) => {
    const deps = testDeps({ rules: [{ ...DISK_RULE, ...c.rule }] });
    await c.arrange?.(deps);
    let executionId = '';

    for (const [step, outcome] of c.steps) {
      const result = await run(step, deps, executionId);
      executionId = result?.executionId ?? executionId;
      expect(result?.outcome).toBe(outcome);
    }

    expect(deps.automation.requests).toHaveLength(c.starts);
    expect(deps.escalator.notifications).toHaveLength(c.notifications);
    expect((await deps.ledger.getRemediation('rem-evt-1'))?.state).toBe(c.finalState);
    if (c.finalState !== 'verifying') expect(await deps.ledger.activeGlobalSlots()).toBe(0);
  });
});
