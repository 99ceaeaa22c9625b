import { describe, expect, it } from 'vitest';
import {
  type AlarmStateChange,
  clientTokenFor,
  type Decision,
  decide,
  EMPTY_SNAPSHOT,
  GUARDRAIL_ORDER,
  type GuardrailSnapshot,
} from '../../../lambdas/core/remediation';
import { alarmFixture, diskInput, ENGINE, NOW_SEC } from './helpers';

const INSTANCE = 'i-0abc123def4567890';

function snap(patch: Partial<GuardrailSnapshot>): GuardrailSnapshot {
  return { ...EMPTY_SNAPSHOT, ...patch };
}

/** A remediation closed from `started` without an execution, holding until 25 min from now. */
const CLOSED_HOLD = {
  remediationId: 'r-2',
  resourceId: 'i-0def456abc7890123',
  state: 'resolved',
  untilSec: NOW_SEC + 1500,
};
const UNTIL = new Date((NOW_SEC + 1500) * 1000).toISOString();

/**
 * An engine whose cleanup Directory pattern lets any absolute path through (as a hand-edited or
 * stale bundle might), so the allowListedDocument guardrail behind it can be seen refusing it.
 */
const ANY_DIRECTORY = {
  ...ENGINE,
  documentPatterns: {
    ...ENGINE.documentPatterns,
    'cleanup-directory': { ...ENGINE.documentPatterns['cleanup-directory'], Directory: '^/.*$' },
  },
};

/** The example disk-full alarm with its metric's dimensions replaced. */
function diskAlarmWith(dimensions: Record<string, string>): AlarmStateChange {
  const event = alarmFixture('example-disk-full-alarm.json');
  return {
    ...event,
    metrics: event.metrics.map((m) =>
      m.metricStat === undefined
        ? m
        : { ...m, metricStat: { ...m.metricStat, metric: { ...m.metricStat.metric, dimensions } } },
    ),
  };
}

function verdictOf(d: Decision, name: string) {
  return 'guardrails' in d ? d.guardrails.find((g) => g.guardrail === name) : undefined;
}

describe('decide', () => {
  it('starts the cleanup with the exact StartAutomationExecution input when every guardrail passes', () => {
    const d = decide(diskInput());

    expect(d.outcome).toBe('start');
    if (d.outcome !== 'start') return;
    expect(d.request).toEqual({
      DocumentName: 'SelfHeal-CleanupDirectory',
      Parameters: {
        InstanceId: [INSTANCE],
        Directory: ['/var/log/app/'],
        OlderThanDays: ['7'],
        AutomationAssumeRole: [ENGINE.automationRoleArn],
      },
      ClientToken: clientTokenFor('7e0c4a53-1f0b-4e8d-9c55-3b2a1d0e9f81'),
      Tags: [
        { Key: 'selfheal:rule', Value: 'disk-full-cleanup' },
        { Key: 'selfheal:resource', Value: INSTANCE },
        { Key: 'selfheal:event', Value: '7e0c4a53-1f0b-4e8d-9c55-3b2a1d0e9f81' },
      ],
    });
    expect(d.guardrails.map((g) => g.guardrail)).toEqual([...GUARDRAIL_ORDER]);
    expect(d.guardrails.every((g) => g.outcome === 'pass')).toBe(true);
    expect(d.deadlineSec).toBe(NOW_SEC + 600);
    expect(d.resource).toMatchObject({ type: 'instance', id: INSTANCE });
  });

  it('counts nothing yet on the snapshot of a first occurrence (EMPTY_SNAPSHOT, used by explain)', () => {
    const d = decide(diskInput({ snapshot: EMPTY_SNAPSHOT }));

    expect(verdictOf(d, 'frequencyLimit')?.reason).toMatch(/^0 of at most 3 /);
    expect(verdictOf(d, 'errorBudget')?.reason).toMatch(/^0 of 2 allowed /);
    expect(verdictOf(d, 'globalCap')?.reason).toBe('0 of 5 concurrent remediation(s) in progress');
  });

  it('derives a UUID-shaped client token that is the same for the same event and differs across events', () => {
    const a = clientTokenFor('event-1');

    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(clientTokenFor('event-1')).toBe(a);
    expect(clientTokenFor('event-2')).not.toBe(a);
  });

  it('never lets a rule parameter replace the engine automation role', () => {
    const d = decide(
      diskInput(
        {},
        { parameters: { AutomationAssumeRole: 'arn:aws:iam::1:role/evil', Directory: '/tmp/x/' } },
      ),
    );

    expect(d.outcome === 'start' && d.request.Parameters.AutomationAssumeRole).toEqual([
      ENGINE.automationRoleArn,
    ]);
  });

  // One row per guardrail: the snapshot or rule that trips it, the verdict and the outcome.
  it.each([
    [
      'duplicateEvent',
      { snapshot: snap({ eventAlreadySeen: true }) },
      {},
      'block',
      'skip',
      'already processed',
    ],
    [
      'resourceLock',
      {
        snapshot: snap({ activeRemediationOnResource: { remediationId: 'r-1', startedAtSec: NOW_SEC - 60 } }),
      },
      {},
      'block',
      'skip',
      `remediation r-1 is open on ${INSTANCE} (started 60 s ago)`,
    ],
    [
      'resourceLock',
      { snapshot: snap({ closedHoldOnResource: { ...CLOSED_HOLD, resourceId: INSTANCE } }) },
      {},
      'block',
      'skip',
      `remediation r-2 is closed (resolved) but holds the lock on ${INSTANCE} until ${UNTIL}: its start may have reached SSM`,
    ],
    [
      'frequencyLimit',
      { snapshot: snap({ remediationsInWindow: 3 }) },
      {},
      'escalate',
      'escalate',
      '3 remediation(s)',
    ],
    [
      'cooldown',
      { snapshot: snap({ lastRemediationAtSec: NOW_SEC - 100 }) },
      {},
      'block',
      'skip',
      'cooldown is 900 s',
    ],
    [
      'errorBudget',
      { snapshot: snap({ failedVerificationsInWindow: 2 }) },
      {},
      'escalate',
      'escalate',
      'freezing the rule',
    ],
    [
      'errorBudget',
      { snapshot: snap({ ruleFrozen: true }) },
      {},
      'escalate',
      'escalate',
      'until a human resets it',
    ],
    [
      'blastRadius',
      { snapshot: snap({ group: { name: 'web-asg', instancesInService: 6, instancesUnderRemediation: 2 } }) },
      {},
      'block',
      'skip',
      '3 of 6',
    ],
    [
      'blastRadius',
      { snapshot: snap({ group: { name: 'web-asg', instancesInService: 2, instancesUnderRemediation: 1 } }) },
      {},
      'block',
      'skip',
      'at most 1 at once',
    ],
    [
      'blastRadius',
      {
        snapshot: snap({
          group: {
            name: 'web-asg',
            instancesInService: 2,
            instancesUnderRemediation: 1,
            closedHolds: [CLOSED_HOLD],
          },
        }),
      },
      {},
      'block',
      'skip',
      `2 of 2 in-service instance(s) of web-asg under remediation (limit 34 %: at most 1 at once); remediation r-2 on i-0def456abc7890123 is closed (resolved) but holds a slot of web-asg until ${UNTIL}: its start may have reached SSM`,
    ],
    [
      'globalCap',
      { snapshot: snap({ activeRemediationsGlobal: 5 }) },
      {},
      'block',
      'skip',
      'global cap is 5',
    ],
    [
      'allowListedDocument',
      { engine: ANY_DIRECTORY },
      { parameters: { InstanceId: '{{resourceId}}', Directory: '/etc/' } },
      'block',
      'skip',
      'not within',
    ],
    [
      'allowListedDocument',
      { engine: ANY_DIRECTORY },
      { parameters: { Directory: '/var/log/app/../../etc/' } },
      'block',
      'skip',
      'not within',
    ],
    [
      'allowListedDocument',
      { engine: { ...ENGINE, documentNames: {} } },
      {},
      'block',
      'skip',
      'not deployed',
    ],
  ] as const)('%s trips: verdict %s, outcome %s', (name, patch, rulePatch, verdict, outcome, reason) => {
    const d = decide(diskInput(patch, rulePatch));

    expect(d.outcome).toBe(outcome);
    expect(verdictOf(d, name)).toMatchObject({ outcome: verdict, reason: expect.stringContaining(reason) });
    expect('blockedBy' in d && d.blockedBy).toBe(name);
    expect(d.reason).toContain(reason);
  });

  it.each([
    ['frequencyLimit', snap({ remediationsInWindow: 2 }), '2 of at most 3'],
    ['cooldown', snap({ lastRemediationAtSec: NOW_SEC - 900 }), '900 s ago'],
    ['cooldown', snap({}), 'no earlier remediation'],
    ['errorBudget', snap({ failedVerificationsInWindow: 1 }), '1 of 2'],
    [
      'blastRadius',
      snap({ group: { name: 'web-asg', instancesInService: 6, instancesUnderRemediation: 1 } }),
      '2 of 6',
    ],
    [
      'blastRadius',
      snap({ group: { name: 'web-asg', instancesInService: 2, instancesUnderRemediation: 0 } }),
      '1 of 2',
    ],
    [
      'blastRadius',
      snap({ group: { name: 'web-asg', instancesInService: 0, instancesUnderRemediation: 0 } }),
      'at most 1 at once',
    ],
    ['globalCap', snap({ activeRemediationsGlobal: 4 }), '4 of 5'],
  ] as const)('%s passes just inside its limit', (name, snapshot, reason) => {
    const d = decide(diskInput({ snapshot }));

    expect(d.outcome).toBe('start');
    expect(verdictOf(d, name)).toMatchObject({ outcome: 'pass', reason: expect.stringContaining(reason) });
  });

  it('reports the first failing guardrail and still lists every later verdict', () => {
    const snapshot = snap({
      activeRemediationOnResource: { remediationId: 'r-9', startedAtSec: NOW_SEC - 5 },
      remediationsInWindow: 3,
      activeRemediationsGlobal: 5,
    });

    const d = decide(diskInput({ snapshot }));

    expect(d).toMatchObject({ outcome: 'skip', blockedBy: 'resourceLock' });
    const verdicts = 'guardrails' in d ? d.guardrails.map((g) => [g.guardrail, g.outcome]) : [];
    expect(verdicts).toEqual([
      ['duplicateEvent', 'pass'],
      ['mode', 'pass'],
      ['resourceLock', 'block'],
      ['frequencyLimit', 'escalate'],
      ['cooldown', 'pass'],
      ['errorBudget', 'pass'],
      ['blastRadius', 'pass'],
      ['globalCap', 'block'],
      ['allowListedDocument', 'pass'],
    ]);
  });

  describe('a lock held by a remediation no longer open: it lapses by itself, so it only waits', () => {
    const heldLock = { closedHoldOnResource: { ...CLOSED_HOLD, resourceId: INSTANCE } };
    const unreadableLock = {
      closedHoldOnResource: {
        remediationId: 'r-3',
        untilSec: NOW_SEC + 1500,
        unreadable: { key: 'pk=REM#r-3 sk=REM', problem: 'createdAtSec: missing; required (number)' },
      },
    };

    it.each([
      ['frequencyLimit', 'closed', snap({ ...heldLock, remediationsInWindow: 3 }), false],
      ['errorBudget', 'closed', snap({ ...heldLock, failedVerificationsInWindow: 2 }), true],
      [
        'errorBudget',
        'closed, the cooldown blocking too',
        snap({ ...heldLock, failedVerificationsInWindow: 2, lastRemediationAtSec: NOW_SEC - 30 }),
        true,
      ],
      ['frequencyLimit', 'unreadable', snap({ ...unreadableLock, remediationsInWindow: 3 }), false],
    ] as const)(
      'gives way to the %s escalation after it (holder %s)',
      (guardrail, _holder, snapshot, freeze) => {
        const d = decide(diskInput({ snapshot }));

        expect(d).toMatchObject({ outcome: 'escalate', blockedBy: guardrail, freezeRule: freeze });
        expect(verdictOf(d, 'resourceLock')).toMatchObject({ outcome: 'block' });
        expect(d.reason).toBe(verdictOf(d, guardrail)?.reason);
      },
    );

    it('still blocks when nothing escalates, before the cooldown and the blast radius, naming the holder', () => {
      const snapshot = snap({
        ...heldLock,
        lastRemediationAtSec: NOW_SEC - 30,
        group: { name: 'web-asg', instancesInService: 2, instancesUnderRemediation: 1 },
      });

      const d = decide(diskInput({ snapshot }));

      expect(d).toMatchObject({ outcome: 'skip', blockedBy: 'resourceLock' });
      expect(d.reason).toContain(`remediation r-2 is closed (resolved) but holds the lock on ${INSTANCE}`);
    });

    it('names an unreadable holder and its ledger item, counted as holding', () => {
      const d = decide(diskInput({ snapshot: snap(unreadableLock) }));

      expect(d).toMatchObject({ outcome: 'skip', blockedBy: 'resourceLock' });
      expect(d.reason).toBe(
        `remediation r-3 holds the lock on ${INSTANCE} until ${UNTIL}, but its record could not be read (ledger item pk=REM#r-3 sk=REM: createdAtSec: missing; required (number)): counted as holding, as its automation may be running`,
      );
    });

    it('dryRun says enforce mode would escalate, not wait for the lock', () => {
      const snapshot = snap({ ...heldLock, remediationsInWindow: 3 });

      const d = decide(diskInput({ snapshot }, { mode: 'dryRun' }));

      expect(d).toMatchObject({
        outcome: 'dryRun',
        enforceWould: { outcome: 'escalate', guardrail: 'frequencyLimit' },
      });
    });

    it('keeps an open remediation on the resource first: its lock hides the escalation, as before', () => {
      const snapshot = snap({
        activeRemediationOnResource: { remediationId: 'r-1', startedAtSec: NOW_SEC - 60 },
        remediationsInWindow: 3,
        failedVerificationsInWindow: 2,
      });

      expect(decide(diskInput({ snapshot }))).toMatchObject({ outcome: 'skip', blockedBy: 'resourceLock' });
    });
  });

  it('asks the handler to freeze the rule only when the budget runs out now, not when already frozen', () => {
    const fresh = decide(diskInput({ snapshot: snap({ failedVerificationsInWindow: 2 }) }));
    const frozen = decide(diskInput({ snapshot: snap({ ruleFrozen: true }) }));

    expect(fresh).toMatchObject({ outcome: 'escalate', freezeRule: true });
    expect(frozen).toMatchObject({ outcome: 'escalate', freezeRule: false });
  });

  it.each([
    ['dryRun', 'records what it would run'],
    ['observe', 'records and notifies'],
  ] as const)('%s mode records the call it would make and starts nothing', (mode, reason) => {
    const d = decide(diskInput({}, { mode }));

    expect(d).toMatchObject({ outcome: mode, blockedBy: 'mode', enforceWould: { outcome: 'start' } });
    expect(d.reason).toContain(reason);
    expect('request' in d && d.request?.DocumentName).toBe('SelfHeal-CleanupDirectory');
  });

  it('dryRun says what enforce mode would have done when a later guardrail trips', () => {
    const d = decide(diskInput({ snapshot: snap({ remediationsInWindow: 3 }) }, { mode: 'dryRun' }));

    expect(d).toMatchObject({
      outcome: 'dryRun',
      enforceWould: { outcome: 'escalate', guardrail: 'frequencyLimit' },
    });
  });

  it('skips a duplicate delivery even in dryRun mode', () => {
    const d = decide(diskInput({ snapshot: snap({ eventAlreadySeen: true }) }, { mode: 'dryRun' }));

    expect(d).toMatchObject({ outcome: 'skip', blockedBy: 'duplicateEvent' });
  });

  it('carries no request on a duplicate delivery: there is nothing to start later', () => {
    const d = decide(diskInput({ snapshot: snap({ eventAlreadySeen: true }) }));

    expect(d).toMatchObject({ outcome: 'skip', blockedBy: 'duplicateEvent' });
    expect('request' in d).toBe(false);
  });

  it('offers an OK event to the verification side when a remediation is open on the resource', () => {
    const ok = alarmFixture('cloudwatch-alarm-single-metric-ok.json');
    const rule = { match: { alarmNamePattern: 'ServerCpu*' } };
    const open = snap({ activeRemediationOnResource: { remediationId: 'r-7', startedAtSec: NOW_SEC - 300 } });

    const resolving = decide(diskInput({ event: ok, snapshot: open }, rule));
    const idle = decide(diskInput({ event: ok }, rule));

    expect(resolving).toMatchObject({
      outcome: 'resolveCandidate',
      remediationId: 'r-7',
      resource: { id: 'i-12345678901234567' },
    });
    expect(idle).toMatchObject({ outcome: 'skip', reason: expect.stringContaining('no remediation open') });
  });

  it('offers no closed remediation that still holds the lock to an OK event: it is resolved already', () => {
    const ok = alarmFixture('cloudwatch-alarm-single-metric-ok.json');
    const rule = { match: { alarmNamePattern: 'ServerCpu*' } };
    const held = snap({ closedHoldOnResource: { ...CLOSED_HOLD, resourceId: 'i-12345678901234567' } });

    expect(decide(diskInput({ event: ok, snapshot: held }, rule))).toMatchObject({
      outcome: 'skip',
      reason: expect.stringContaining('no remediation open'),
    });
  });

  it.each([
    ['INSUFFICIENT_DATA', 'OK', 'OK → INSUFFICIENT_DATA is not a transition'],
    ['ALARM', 'ALARM', 'ALARM → ALARM is not a transition'],
  ] as const)('skips a change to %s from %s', (value, previous, reason) => {
    const base = alarmFixture('example-disk-full-alarm.json');
    const event = {
      ...base,
      state: { ...base.state, value },
      previousState: { ...base.previousState, value: previous },
    };

    expect(decide(diskInput({ event }))).toMatchObject({
      outcome: 'skip',
      reason: expect.stringContaining(reason),
      guardrails: [],
    });
  });

  it('skips an alarm no rule matches, with each rule evaluation', () => {
    const d = decide(diskInput({ event: alarmFixture('cloudwatch-alarm-metric-math.json') }));

    expect(d).toMatchObject({
      outcome: 'skip',
      reason: 'no rule matches alarm "TotalNetworkTrafficTooHigh"',
      ruleEvaluations: [{ ruleId: 'disk-full-cleanup', matched: false }],
    });
  });

  it.each([['enforce'], ['dryRun'], ['observe']] as const)(
    'escalates, in %s, a {{dimension:Name}} parameter naming a dimension the alarm lacks, before any guardrail',
    (mode) => {
      const d = decide(
        diskInput({}, { mode, parameters: { Directory: '/tmp/', Volume: '{{dimension:VolumeId}}' } }),
      );

      expect(d).toMatchObject({
        outcome: 'escalate',
        guardrails: [],
        freezeRule: false,
        reason:
          'rule disk-full-cleanup cannot be applied to this alarm: parameters.Volume: the alarm has no dimension VolumeId for {{dimension:VolumeId}}; nothing to act on',
      });
    },
  );

  it('still skips a duplicate delivery of an alarm whose parameter dimension is missing', () => {
    const input = diskInput({}, { parameters: { Directory: '/tmp/', Volume: '{{dimension:VolumeId}}' } });

    const d = decide({ ...input, snapshot: { ...input.snapshot, eventAlreadySeen: true } });

    expect(d).toMatchObject({ outcome: 'skip', reason: expect.stringContaining('already processed') });
  });

  it('escalates a rule whose parameters use an unknown template variable, naming it', () => {
    const input = diskInput();
    const [rule] = input.rules;
    const broken = rule === undefined ? [] : [{ ...rule, parameters: { Directory: '{{instanceName}}' } }];

    const d = decide({ ...input, rules: broken });

    expect(d).toMatchObject({
      outcome: 'escalate',
      freezeRule: false,
      reason: expect.stringContaining('{{instanceName}}'),
    });
  });

  it('acts on an AWS-owned document under its own name', () => {
    const d = decide(
      diskInput(
        {},
        { document: { aws: 'AWS-RestartEC2Instance' }, parameters: { InstanceId: ['{{resourceId}}'] } },
      ),
    );

    expect(d).toMatchObject({
      outcome: 'start',
      request: { DocumentName: 'AWS-RestartEC2Instance', Parameters: { InstanceId: [INSTANCE] } },
    });
  });
});

describe("decide: resolved parameters against the shipped document's allowedPattern", () => {
  const INJECTED = 'i-0abc; rm -rf /';
  const INSTANCE_PATTERN = '^i-[0-9a-f]{8,17}$';
  const DIRECTORY_PATTERN = ENGINE.documentPatterns['cleanup-directory'].Directory;
  const SERVICE_PATTERN = ENGINE.documentPatterns['restart-service'].ServiceName;
  const injected = diskAlarmWith({ InstanceId: INJECTED, path: '/' });

  // One row per way a value resolved from the alarm can break the document's pattern.
  it.each([
    [
      'an InstanceId taken from the resource dimension',
      { event: injected },
      {},
      'InstanceId',
      INJECTED,
      INSTANCE_PATTERN,
    ],
    [
      'an InstanceId taken from {{dimension:InstanceId}}',
      { event: injected },
      {
        parameters: { InstanceId: '{{dimension:InstanceId}}', Directory: '/tmp/', OlderThanDays: '7' },
      },
      'InstanceId',
      INJECTED,
      INSTANCE_PATTERN,
    ],
    [
      'a Directory outside the allowed prefixes, from {{dimension:path}}',
      {},
      { parameters: { InstanceId: '{{resourceId}}', Directory: '{{dimension:path}}', OlderThanDays: '7' } },
      'Directory',
      '/',
      DIRECTORY_PATTERN,
    ],
    [
      'a Directory that climbs out of a prefix',
      {},
      {
        parameters: {
          InstanceId: '{{resourceId}}',
          Directory: '/var/log/app/../../etc/',
          OlderThanDays: '7',
        },
      },
      'Directory',
      '/var/log/app/../../etc/',
      DIRECTORY_PATTERN,
    ],
    [
      'one bad value of a list',
      {},
      { parameters: { InstanceId: ['{{resourceId}}', 'i-nope'], Directory: '/tmp/', OlderThanDays: '7' } },
      'InstanceId',
      'i-nope',
      INSTANCE_PATTERN,
    ],
    [
      'a restart-service ServiceName from the alarm name',
      { event: { ...alarmFixture('example-disk-full-alarm.json'), alarmName: 'disk-full-$(reboot)' } },
      {
        document: { shipped: 'restart-service' },
        parameters: { InstanceId: '{{resourceId}}', ServiceName: '{{alarmName}}' },
      },
      'ServiceName',
      'disk-full-$(reboot)',
      SERVICE_PATTERN,
    ],
  ] as const)(
    'escalates %s, naming the parameter, the value and the pattern, and starts nothing',
    (_what, patch, rulePatch, name, value, pattern) => {
      const d = decide(diskInput(patch, rulePatch));

      expect(d).toMatchObject({ outcome: 'escalate', freezeRule: false, guardrails: [] });
      expect(d.reason).toBe(
        `rule disk-full-cleanup cannot be applied to this alarm: parameters.${name}: resolved to ${JSON.stringify(value)}, which the allowedPattern ${pattern} of shipped document ${'document' in rulePatch ? 'restart-service' : 'cleanup-directory'} rejects (SSM would refuse it); nothing is started`,
      );
      // The call that was not made is kept for the record and the escalation's evidence.
      expect(d.outcome === 'escalate' && d.request?.Parameters[name]).toContain(value);
    },
  );

  it.each(['dryRun', 'observe'] as const)(
    'escalates in %s mode too, recording nothing as would-run',
    (mode) => {
      const d = decide(diskInput({ event: injected }, { mode }));

      expect(d).toMatchObject({
        outcome: 'escalate',
        mode,
        reason: expect.stringContaining(JSON.stringify(INJECTED)),
      });
    },
  );

  it('skips a redelivery of such an event as already processed', () => {
    const d = decide(diskInput({ event: injected, snapshot: snap({ eventAlreadySeen: true }) }));

    expect(d).toMatchObject({ outcome: 'skip', reason: expect.stringContaining('already processed') });
  });

  it('escalates a parameter the shipped document does not declare', () => {
    const d = decide(
      diskInput(
        {},
        {
          parameters: { InstanceId: '{{resourceId}}', Directory: '/tmp/', OlderThanDays: '7', Force: 'yes' },
        },
      ),
    );

    expect(d).toMatchObject({
      outcome: 'escalate',
      reason: expect.stringContaining(
        'parameters.Force: shipped document cleanup-directory declares no such parameter (it takes InstanceId, Directory, OlderThanDays)',
      ),
    });
  });

  it('starts when every resolved value matches, a templated one included', () => {
    const d = decide(
      diskInput(
        {},
        {
          parameters: {
            InstanceId: '{{dimension:InstanceId}}',
            Directory: '/var/log/app/nginx',
            OlderThanDays: '30',
          },
        },
      ),
    );

    expect(d).toMatchObject({
      outcome: 'start',
      request: { Parameters: { InstanceId: [INSTANCE], Directory: ['/var/log/app/nginx'] } },
    });
  });

  it('checks nothing for an AWS-owned document, whose patterns are not published: SSM validates them', () => {
    const d = decide(
      diskInput(
        { event: injected },
        { document: { aws: 'AWS-RestartEC2Instance' }, parameters: { InstanceId: ['{{resourceId}}'] } },
      ),
    );

    expect(d).toMatchObject({ outcome: 'start', request: { Parameters: { InstanceId: [INJECTED] } } });
  });
});
