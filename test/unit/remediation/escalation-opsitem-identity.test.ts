/**
 * Which escalation an OpsItem (or a later entry in it) is about, and whether OpsCenter still keeps
 * it open. OpsCenter deduplicates only into an OpsItem that is open or in progress
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/OpsCenter-working-deduplication.html);
 * GetOpsItem's `Status` values are those of the `OpsItem` data type
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetOpsItem.html).
 */
import { describe, expect, it } from 'vitest';
import type { OpsItemContent } from '../../../lambdas/core/remediation/engine-ports';
import {
  createdBy,
  ESCALATION_KEY,
  escalationValue,
  holdsLaterEntry,
  keptOpen,
} from '../../../lambdas/core/remediation/escalation-opsitem-identity';

const X = { kind: 'automationFailed', remediationId: 'rem-x' } as const;
const plain = (Value: string) => ({ Value, Type: 'String' as const });
const item = (OperationalData: OpsItemContent['OperationalData']): OpsItemContent => ({
  Description: 'first',
  OperationalData,
});

describe('keptOpen', () => {
  it.each([
    ['Open', true],
    ['InProgress', true],
    [undefined, true],
    ['Resolved', false],
    ['Closed', false],
    ['Pending', false],
    ['Failed', false],
  ] as const)('status %s: %s', (Status, open) => {
    expect(keptOpen(Status === undefined ? {} : { Status })).toBe(open);
  });
});

describe('createdBy', () => {
  it.each([
    ['its own selfheal:escalation', { [ESCALATION_KEY]: plain(escalationValue(X)) }, true],
    [
      'the same remediation escalated under another kind',
      { [ESCALATION_KEY]: plain(escalationValue({ ...X, kind: 'untrackedExecution' })) },
      false,
    ],
    [
      'another remediation',
      { [ESCALATION_KEY]: plain(escalationValue({ ...X, remediationId: 'rem-y' })) },
      false,
    ],
    [
      'an OpsItem created before the key: its kind and remediation id',
      { 'selfheal:kind': plain('automationFailed'), 'selfheal:remediation': plain('{"id":"rem-x"}') },
      true,
    ],
    [
      'an OpsItem created before the key, for another remediation',
      { 'selfheal:kind': plain('automationFailed'), 'selfheal:remediation': plain('{"id":"rem-y"}') },
      false,
    ],
    ['an OpsItem naming nothing readable', { 'selfheal:remediation': plain('{"leftOut":"…"}') }, false],
  ] as const)('%s: %s', (_name, data, own) => {
    expect(createdBy(item(data), X)).toBe(own);
  });
});

describe('holdsLaterEntry', () => {
  it('finds an entry written before keys named the kind, only for its own kind', () => {
    const data = { 'selfheal:later:rem-x': plain('{"kind":"automationFailed"}') };
    expect(holdsLaterEntry(data, X)).toBe(true);
    expect(holdsLaterEntry(data, { ...X, kind: 'untrackedExecution' })).toBe(false);
  });
});
