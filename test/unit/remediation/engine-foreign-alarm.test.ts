/**
 * An alarm's identity is its ARN (account, Region, name), not its name: alarm names are unique
 * only within one account and Region. A default event bus can be opened to receive events from
 * other accounts, and "a rule that matches events that come from the sender account" then sees
 * them (https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/CloudWatchEvents-CrossAccountEventDelivery.html).
 * The sample events (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html)
 * carry the account and Region in the envelope and the alarm ARN in `resources`, which the parser
 * keeps as `alarmArn`.
 *
 * The engine remediates the alarms of its own account and Region only: an event from elsewhere is
 * refused before anything is read or written (lambdas/core/remediation/alarm-identity.ts), so an
 * OK of a same-named alarm in another account cannot resolve this account's remediation.
 */
import { describe, expect, it } from 'vitest';
import { handleAlarmEvent } from '../../../lambdas/core/remediation/engine-alarm';
import { newClaim } from '../../../lambdas/core/remediation/event-claim';
import { parseEvent } from '../../../lambdas/core/remediation/events';
import { handleAlarmOk } from '../../../lambdas/core/remediation/verification';
import { handleAlarmInsufficientData } from '../../../lambdas/core/remediation/verification-insufficient-data';
import { alarmOn } from '../../handlers/remediation-setup';
import { alarmOnInstance, testDeps } from './engine-deps';

const INSTANCE = 'i-0abc123def4567890';
const OTHER_ACCOUNT = '210987654321';
const OTHER_REGION = 'eu-west-1';

/**
 * The disk-full alarm of `INSTANCE` going to `to`, but in another account or Region (its envelope
 * and its ARN say so).
 */
function elsewhere(id: string, to: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', where: 'account' | 'region') {
  const raw = alarmOn(id, INSTANCE) as { detail: Record<string, unknown>; resources: string[] } & Record<
    string,
    unknown
  >;
  const state = raw.detail.state as Record<string, unknown>;
  const arn = (a: string) =>
    where === 'account'
      ? a.replace(/:\d{12}:alarm:/, `:${OTHER_ACCOUNT}:alarm:`)
      : a.replace(/:cloudwatch:[^:]+:/, `:cloudwatch:${OTHER_REGION}:`);
  const parsed = parseEvent({
    ...raw,
    ...(where === 'account' ? { account: OTHER_ACCOUNT } : { region: OTHER_REGION }),
    resources: raw.resources.map(arn),
    detail: {
      ...raw.detail,
      state: { ...state, value: to, timestamp: '2026-11-27T03:14:00.000+0000' },
      previousState: { ...state, value: to === 'ALARM' ? 'OK' : 'ALARM' },
    },
  });
  if (parsed.kind !== 'alarmStateChange') throw new Error(`not an alarm: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** This account's alarm opened a remediation whose automation succeeded; its alarm is still in ALARM. */
async function openRemediation() {
  const deps = testDeps();
  const start = await handleAlarmEvent(alarmOnInstance('evt-alarm', INSTANCE), deps);
  expect(start.outcome).toBe('started');
  const id = start.remediationId ?? '';
  const executionId = (await deps.ledger.getRemediation(id))?.executionId ?? '';
  deps.automation.statuses.set(executionId, 'Success');
  deps.clock.advance(60);
  return { deps, id };
}

describe('alarm intake: an OK from a same-named alarm in another account', () => {
  it('does not resolve the remediation this account’s alarm opened', async () => {
    const { deps, id } = await openRemediation();

    const ok = elsewhere('evt-ok-other-account', 'OK', 'account');
    expect(ok.alarmArn).toContain(`:${OTHER_ACCOUNT}:alarm:`);
    await handleAlarmOk(ok, deps);

    expect((await deps.ledger.getRemediation(id))?.state).not.toBe('resolved');
  });

  it.each([
    ['another account', 'account'],
    ['another Region', 'region'],
  ] as const)('refuses the OK and INSUFFICIENT_DATA of a same-named alarm in %s', async (_, where) => {
    const { deps, id } = await openRemediation();
    const before = await deps.ledger.getRemediation(id);

    const ok = await handleAlarmEvent(elsewhere('evt-ok', 'OK', where), deps);
    const insufficient = await handleAlarmInsufficientData(
      elsewhere('evt-id', 'INSUFFICIENT_DATA', where),
      deps,
    );

    for (const result of [ok, insufficient]) {
      expect(result.outcome).toBe('rejected');
      expect(result.reason).toMatch(/alarms of other accounts and Regions are not remediated/);
    }
    expect(await deps.ledger.getRemediation(id)).toEqual(before);
  });

  it('still resolves it on the OK of its own alarm', async () => {
    const { deps, id } = await openRemediation();

    await handleAlarmOk(alarmOnInstance('evt-ok-home', INSTANCE, 'OK'), deps);

    expect((await deps.ledger.getRemediation(id))?.state).toBe('resolved');
  });
});

describe('alarm intake: an ALARM from another account or Region', () => {
  it.each([
    ['another account', 'account'],
    ['another Region', 'region'],
  ] as const)('is refused from %s: nothing claimed, recorded or started', async (_, where) => {
    const deps = testDeps();

    const result = await handleAlarmEvent(elsewhere('evt-foreign', 'ALARM', where), deps);

    expect(result).toMatchObject({ eventId: 'evt-foreign', outcome: 'rejected' });
    expect(result.reason).toContain(where === 'account' ? OTHER_ACCOUNT : OTHER_REGION);
    expect(deps.automation.requests).toEqual([]);
    expect(await deps.ledger.listOpen()).toEqual([]);
    expect(await deps.ledger.getRemediation('rem-evt-foreign')).toBeUndefined();
    // The event id was not claimed: were it redelivered to a correctly scoped engine, it would run.
    expect(await deps.ledger.claimEvent('evt-foreign', newClaim(deps.clock.nowSec(), 60))).toBe(true);
  });
});
