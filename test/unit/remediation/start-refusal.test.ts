/**
 * What a refusal of a start proves (start-refusal), as plain data: a first start's refusal
 * settles it; a resume's settles it only when it refuses the request sent first for itself and
 * the document's default version was created well before that request could have been sent. A
 * transient refusal, a refusal of the function's permission (a redeploy may have taken it away),
 * a changed request, a document changed in place since, or versions that cannot be read keep the
 * start uncertain; SSM is asked for the versions only in the one case that could settle it.
 */
import { describe, expect, it } from 'vitest';
import type { StartAutomationRequest } from '../../../lambdas/core/remediation/automation-request';
import {
  type DocumentDefaultVersion,
  StartRefusedError,
} from '../../../lambdas/core/remediation/engine-ports';
import type { RemediationRecord } from '../../../lambdas/core/remediation/ledger-records';
import {
  DEFAULT_VERSION_MARGIN_SEC,
  documentDoubt,
  readRefusal,
  refusalDoubt,
} from '../../../lambdas/core/remediation/start-refusal';

/** When the record was created `started`, just before its first request. */
const RECORDED_SEC = Date.UTC(2026, 10, 27, 3, 13) / 1000;
const DOCUMENT = 'SelfHeal-CleanupDirectory';
const PARAMETERS = {
  InstanceId: ['i-00000000000000001'],
  Directory: ['/var/log/app/'],
  AutomationAssumeRole: ['arn:aws:iam::123456789012:role/SelfHeal-RemediationAutomation'],
};

const REQUEST: StartAutomationRequest = {
  DocumentName: DOCUMENT,
  Parameters: PARAMETERS,
  ClientToken: '0b9f7c1e-5d2a-4f3b-8c6d-1e2f3a4b5c6d',
  Tags: [{ Key: 'selfheal:rule', Value: 'disk-full-cleanup' }],
};

/** A record that entered `started` once, at its creation, and has no execution. */
const RECORD: RemediationRecord = {
  id: 'rem-evt-a',
  ruleId: 'disk-full-cleanup',
  resourceId: 'i-00000000000000001',
  alarmName: 'disk-full-i-00000000000000001',
  eventId: 'evt-a',
  mode: 'enforce',
  state: 'started',
  verdicts: [],
  documentName: DOCUMENT,
  parameters: PARAMETERS,
  clientToken: REQUEST.ClientToken,
  deadlineSec: RECORDED_SEC + 900,
  stateTimes: { started: RECORDED_SEC },
  createdAtSec: RECORDED_SEC,
  updatedAtSec: RECORDED_SEC,
  expiresAt: RECORDED_SEC + 7 * 86_400,
};

const RESUME = { mayHaveReachedSsm: true };
const FIRST = { mayHaveReachedSsm: false };

const invalid = () =>
  new StartRefusedError(
    'InvalidAutomationExecutionParametersException: Parameter "Directory" is invalid (HTTP 400)',
    { kind: 'request' },
  );
const denied = () =>
  new StartRefusedError('AccessDeniedException: not authorized (HTTP 400)', {
    kind: 'permission',
  });
const throttled = () =>
  new StartRefusedError('ThrottlingException: Rate exceeded (HTTP 400)', { kind: 'throttling' });
const limitReached = () =>
  new StartRefusedError('AutomationExecutionLimitExceededException: limit exceeded (HTTP 400)', {
    kind: 'automationLimit',
  });
const expired = () =>
  new StartRefusedError('ExpiredTokenException: expired (HTTP 400)', { kind: 'transient' });

/** A version reader that records the documents asked about and answers `answer`. */
function versions(answer: DocumentDefaultVersion | Error) {
  const asked: string[] = [];
  return {
    asked,
    documentDefaultVersion: async (name: string) => {
      asked.push(name);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const OLD = { version: '1', createdAtSec: RECORDED_SEC - 86_400 };

describe('readRefusal', () => {
  it.each([
    ['a request refusal', invalid],
    ['a permission refusal', denied],
    ['a throttling refusal', throttled],
    ['a concurrent-automations limit refusal', limitReached],
    ['a transient refusal', expired],
  ])('settles a first start on %s: no earlier request had its ClientToken', (_what, refusal) => {
    expect(readRefusal(refusal(), REQUEST, RECORD, FIRST)).toEqual({ kind: 'settles' });
  });

  it.each([
    ['a throttling refusal', throttled],
    ['a concurrent-automations limit refusal', limitReached],
    ['a transient refusal', expired],
  ])('keeps a resume uncertain on %s', (_what, refusal) => {
    expect(readRefusal(refusal(), REQUEST, RECORD, RESUME)).toEqual({
      kind: 'doubt',
      doubt:
        'an earlier request with the same ClientToken may have started it: a refusal of that kind says nothing about the earlier request',
    });
  });

  it("keeps a resume uncertain on a refusal of the function's permission, a redeploy may have taken it away", () => {
    expect(readRefusal(denied(), REQUEST, RECORD, RESUME)).toEqual({
      kind: 'doubt',
      doubt:
        "an earlier request with the same ClientToken may have started it: SSM refused this function's permission to start it, which a redeploy may have taken away since the earlier request was let through, so that refusal says nothing about the earlier request",
    });
  });

  it('keeps a resume uncertain on a permission refusal of a request that differs too', () => {
    const other = { ...REQUEST, DocumentName: 'SelfHeal-CleanupDirectory-v2' };

    const reading = readRefusal(denied(), other, RECORD, RESUME);

    expect(reading).toMatchObject({ kind: 'doubt' });
    expect(reading.kind === 'doubt' && reading.doubt).toContain("SSM refused this function's permission");
  });

  it('keeps a resume uncertain when its request differs from the one recorded', () => {
    const other = { ...REQUEST, Parameters: { ...PARAMETERS, Directory: ['/tmp/'] } };

    const reading = readRefusal(invalid(), other, RECORD, RESUME);

    expect(reading).toMatchObject({ kind: 'doubt' });
    expect(reading.kind === 'doubt' && reading.doubt).toContain('this request differs from the one recorded');
  });

  it("asks about the document when a resume's request, the one recorded, is refused for itself", () => {
    expect(readRefusal(invalid(), REQUEST, RECORD, RESUME)).toEqual({
      kind: 'askDocument',
      documentName: DOCUMENT,
    });
  });
});

describe('documentDoubt', () => {
  it(`trusts a default version created ${DEFAULT_VERSION_MARGIN_SEC} s or more before the record`, () => {
    const found = { version: '2', createdAtSec: RECORDED_SEC - DEFAULT_VERSION_MARGIN_SEC };

    expect(documentDoubt(DOCUMENT, found, RECORD)).toBeUndefined();
    expect(documentDoubt(DOCUMENT, OLD, RECORD)).toBeUndefined();
  });

  it('doubts one created less than the margin before the record: it may have become the default after the request', () => {
    const found = { version: '2', createdAtSec: RECORDED_SEC - DEFAULT_VERSION_MARGIN_SEC + 1 };

    expect(documentDoubt(DOCUMENT, found, RECORD)).toBe(
      "an earlier request with the same ClientToken may have started it: document SelfHeal-CleanupDirectory's default version 2 was created at 2026-11-27T03:08:01.000Z, after or less than 5 minutes before the earlier request could have been sent (from 2026-11-27T03:13:00.000Z, when remediation rem-evt-a was recorded): a redeploy may have changed the document SSM judged this request against, so its refusal says nothing about the earlier request",
    );
  });

  it('doubts a default version created after the record (a redeploy changed the document in place)', () => {
    const found = { version: '3', createdAtSec: RECORDED_SEC + 120 };

    expect(documentDoubt(DOCUMENT, found, RECORD)).toContain(
      "document SelfHeal-CleanupDirectory's default version 3 was created at 2026-11-27T03:15:00.000Z",
    );
  });

  it('measures from the record’s creation, not from a later re-drive into started', () => {
    // Started, resumed into blocked, re-driven: stateTimes.started is the re-drive's time, after
    // the request sent before it was blocked.
    const redriven = { ...RECORD, stateTimes: { started: RECORDED_SEC + 600, blocked: RECORDED_SEC + 60 } };
    const between = { version: '2', createdAtSec: RECORDED_SEC + 120 };

    expect(documentDoubt(DOCUMENT, between, redriven)).toContain('(from 2026-11-27T03:13:00.000Z');
  });

  it('judges AWS-owned documents the same way', () => {
    const name = 'AWS-RestartEC2Instance';
    const record = { ...RECORD, documentName: name };

    expect(documentDoubt(name, OLD, record)).toBeUndefined();
    expect(documentDoubt(name, { version: '12', createdAtSec: RECORDED_SEC + 1 }, record)).toContain(
      "document AWS-RestartEC2Instance's default version 12 was created at",
    );
  });
});

describe('refusalDoubt', () => {
  it.each([
    ['a first start', invalid, FIRST, undefined],
    ['a transient refusal of a resume', throttled, RESUME, 'a refusal of that kind'],
    ['a permission refusal of a resume', denied, RESUME, "this function's permission"],
  ])('asks SSM nothing on %s', async (_what, refusal, earlier, doubt) => {
    const reader = versions(OLD);

    const found = await refusalDoubt(refusal(), REQUEST, RECORD, earlier, reader);

    expect(reader.asked).toEqual([]);
    if (doubt === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(doubt);
  });

  it('asks SSM nothing for a resume whose request differs from the one recorded', async () => {
    const reader = versions(OLD);
    const other = { ...REQUEST, DocumentName: 'SelfHeal-CleanupDirectory-v2' };

    expect(await refusalDoubt(invalid(), other, RECORD, RESUME, reader)).toContain('differs');
    expect(reader.asked).toEqual([]);
  });

  it("settles a resume's refusal of the request sent first when its document was deployed long before", async () => {
    const reader = versions(OLD);

    expect(await refusalDoubt(invalid(), REQUEST, RECORD, RESUME, reader)).toBeUndefined();
    expect(reader.asked).toEqual([DOCUMENT]);
  });

  it('keeps it uncertain when the default version is newer than the earlier request', async () => {
    const reader = versions({ version: '3', createdAtSec: RECORDED_SEC + 30 });

    expect(await refusalDoubt(invalid(), REQUEST, RECORD, RESUME, reader)).toContain(
      "document SelfHeal-CleanupDirectory's default version 3 was created at 2026-11-27T03:13:30.000Z",
    );
  });

  it('keeps it uncertain when the versions cannot be read, naming the error', async () => {
    const failure = Object.assign(new Error('User is not authorized to perform: ssm:ListDocumentVersions'), {
      name: 'AccessDeniedException',
    });
    const reader = versions(failure);

    expect(await refusalDoubt(invalid(), REQUEST, RECORD, RESUME, reader)).toBe(
      'an earlier request with the same ClientToken may have started it: whether a redeploy changed document SelfHeal-CleanupDirectory since is unknown, as its versions could not be read: AccessDeniedException: User is not authorized to perform: ssm:ListDocumentVersions; so its refusal says nothing about the earlier request',
    );
  });
});
