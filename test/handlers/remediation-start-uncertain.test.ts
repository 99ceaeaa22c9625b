/**
 * The real alarm and sweeper handlers, the DynamoDB ledger on moto, SSM mocked with the errors the
 * SDK throws (./ssm-errors): a StartAutomationExecution that timed out or got a server error may
 * have started the automation, so the remediation keeps its holds and stays `started`, nobody is
 * told, and the invocation fails after recording so Lambda's retry (same request id) resumes it
 * with the same ClientToken. Instances A and B form a 2-instance group; the rule's blast radius
 * is 34 %, one slot. A refused first start (SSM answered 4xx) still fails and gives the holds back;
 * a resume SSM refuses keeps them unless the refusal is of the request itself, sent first, judged
 * against the document version the first request met (ListDocumentVersions, mocked: moto has none).
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  type DescribeAutoScalingInstancesCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  AccessDeniedException,
  CreateOpsItemCommand,
  ListDocumentVersionsCommand,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import type { EngineResult } from '../../lambdas/core/remediation/engine-result';
import { emitted, outputOf } from './emf-capture';
import { mockRemediationAws, useMotoSuite } from './remediation-mocks';
import {
  advance,
  alarmOn,
  context,
  DISK_RULE,
  EXECUTION_ID,
  type Loaded,
  loadHandlers,
  NOW_MS,
  requireMoto,
  sweepEvent,
  withRules,
} from './remediation-setup';
import {
  accessDenied,
  connectionReset,
  internalServerError,
  invalidParameters,
  serviceUnavailable,
  throttled,
  timedOut,
} from './ssm-errors';

const aws = mockRemediationAws();
const { ssm, sns, asg, cw } = aws;

const run = requireMoto();
const A = 'i-00000000000000001';
const B = 'i-00000000000000002';
const GROUP = 'web-asg';
/** The alarm invocation's request id; Lambda's retries of it carry the same. */
const INVOCATION = context;
const OTHER_INVOCATION = { ...context, awsRequestId: 'd3b07384-d113-4ec6-a5b2-2c4f5e6a7b8c' };

/** A and B InService in GROUP (DescribeAutoScalingInstances / DescribeAutoScalingGroups shapes). */
function twoInstanceGroup(): void {
  asg
    .on(DescribeAutoScalingInstancesCommand)
    .callsFake((input: DescribeAutoScalingInstancesCommandInput) => ({
      AutoScalingInstances: (input.InstanceIds ?? []).map((InstanceId) => ({
        InstanceId,
        AutoScalingGroupName: GROUP,
        AvailabilityZone: 'us-east-1a',
        LifecycleState: 'InService',
        HealthStatus: 'HEALTHY',
        ProtectedFromScaleIn: false,
      })),
    }));
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: GROUP,
        MinSize: 2,
        MaxSize: 4,
        DesiredCapacity: 2,
        DefaultCooldown: 300,
        AvailabilityZones: ['us-east-1a'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date('2026-01-05T10:00:00Z'),
        Instances: [A, B].map((InstanceId) => ({
          InstanceId,
          AvailabilityZone: 'us-east-1a',
          LifecycleState: 'InService',
          HealthStatus: 'Healthy',
          ProtectedFromScaleIn: false,
        })),
      },
    ],
  });
}

/** Every alarm asked about is in ALARM (the resume's recheck reads it). */
function alarmsInAlarm(): void {
  cw.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => ({
    MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: 'ALARM' })),
  }));
}

/** The alarm handler's decision records in `output`. */
function decisions(output: string): Array<{ level: string; decision: EngineResult }> {
  return output
    .split('\n')
    .filter((line) => line.includes('"message":"decision"'))
    .map((line) => JSON.parse(line) as { level: string; decision: EngineResult });
}

async function holdsOf(h: Loaded) {
  return {
    global: await h.ledger.activeGlobalSlots(),
    group: await h.ledger.activeGroupSlots(GROUP),
    lockFree: await h.ledger.acquireResourceLock(A, 'rem-probe', Math.floor(Date.now() / 1000) + 60),
  };
}

describe.runIf(run)('remediation alarm handler on a failed StartAutomationExecution', () => {
  const moto = useMotoSuite(aws);

  async function load(): Promise<Loaded> {
    twoInstanceGroup();
    alarmsInAlarm();
    return loadHandlers(moto(), withRules(DISK_RULE), {
      env: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    });
  }

  describe('with no certain answer', () => {
    it.each([
      [
        'a socket timeout',
        timedOut,
        'TimeoutError: @smithy/node-http-handler - the request socket timed out',
      ],
      ['a reset connection', connectionReset, 'TimeoutError: socket hang up (no answer)'],
      [
        'InternalServerError (HTTP 500)',
        internalServerError,
        'InternalServerError: An error occurred on the server side. (HTTP 500)',
      ],
      [
        'ServiceUnavailable (HTTP 503)',
        serviceUnavailable,
        'ServiceUnavailable: Service Unavailable (HTTP 503)',
      ],
    ])(
      'after %s: fails the invocation once recorded, keeps the holds, tells nobody, and blocks the other instance',
      async (_what, error, named) => {
        const h = await load();
        ssm.on(StartAutomationExecutionCommand).rejects(error());

        const output = await outputOf(() =>
          expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow(
            `remediation rem-evt-a: StartAutomationExecution of SelfHeal-CleanupDirectory on ${A} got no certain answer: ${named}`,
          ),
        );

        expect(decisions(output)).toMatchObject([{ level: 'WARN', decision: { outcome: 'startUncertain' } }]);
        expect(emitted(output, 'RemediationsStartUncertain').map((m) => m.value)).toEqual([1]);
        expect(output).toContain('"message":"remediation alarm handling failed"');
        const record = await h.ledger.getRemediation('rem-evt-a');
        expect(record).toMatchObject({ state: 'started' });
        expect(record?.executionId).toBeUndefined();
        expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
        expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(0);

        const other = await outputOf(async () =>
          expect(await h.alarm(alarmOn('evt-b', B), OTHER_INVOCATION)).toMatchObject({ outcome: 'skipped' }),
        );

        expect(decisions(other)[0]?.decision.reason).toContain('blastRadius');
        expect(await h.ledger.getRemediation('rem-evt-b')).toMatchObject({
          state: 'blocked',
          blockedBy: 'blastRadius',
        });
        expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(1);
        expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
      },
    );

    it('fails the invocation with a StartUnconfirmedError', async () => {
      const h = await load();
      ssm.on(StartAutomationExecutionCommand).rejects(timedOut());

      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toMatchObject({
          name: 'StartUnconfirmedError',
        }),
      );
    });

    it("records on Lambda's retry the execution SSM started, sending the same ClientToken", async () => {
      const h = await load();
      ssm
        .on(StartAutomationExecutionCommand)
        .rejectsOnce(timedOut())
        .resolves({ AutomationExecutionId: EXECUTION_ID });
      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('got no certain answer'),
      );
      advance(60);

      let retried: EngineResult | undefined;
      await outputOf(async () => {
        retried = await h.alarm(alarmOn('evt-a', A), INVOCATION);
      });

      expect(retried).toMatchObject({
        outcome: 'started',
        remediationId: 'rem-evt-a',
        executionId: EXECUTION_ID,
      });
      const tokens = ssm
        .commandCalls(StartAutomationExecutionCommand)
        .map((c) => c.args[0].input.ClientToken);
      expect(tokens).toHaveLength(2);
      expect(tokens[1]).toBe(tokens[0]);
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({
        state: 'verifying',
        executionId: EXECUTION_ID,
      });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
    });

    it("keeps the holds when Lambda's retry is throttled: the first request may have started it", async () => {
      const h = await load();
      ssm
        .on(StartAutomationExecutionCommand)
        .rejectsOnce(timedOut())
        .rejectsOnce(throttled())
        .resolves({ AutomationExecutionId: EXECUTION_ID });
      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('got no certain answer'),
      );
      advance(60);

      const output = await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow(
          'was refused by SSM on resuming: ThrottlingException: Rate exceeded (HTTP 400); but an earlier request with the same ClientToken may have started it',
        ),
      );

      expect(decisions(output)).toMatchObject([{ level: 'WARN', decision: { outcome: 'startUncertain' } }]);
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
      let other: EngineResult | undefined;
      await outputOf(async () => {
        other = await h.alarm(alarmOn('evt-b', B), OTHER_INVOCATION);
      });
      expect(other).toMatchObject({ outcome: 'skipped' });
      expect(await h.ledger.getRemediation('rem-evt-b')).toMatchObject({
        state: 'blocked',
        blockedBy: 'blastRadius',
      });
      advance(120);

      let last: EngineResult | undefined;
      await outputOf(async () => {
        last = await h.alarm(alarmOn('evt-a', A), INVOCATION);
      });

      expect(last).toMatchObject({ outcome: 'started', executionId: EXECUTION_ID });
      const tokens = new Set(
        ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input.ClientToken),
      );
      expect(tokens.size).toBe(1);
      expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(3);
    });

    it('escalates at the deadline, through the sweeper, a start that never got a certain answer, keeping its holds', async () => {
      const h = await load();
      ssm.on(StartAutomationExecutionCommand).rejects(timedOut());
      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('got no certain answer'),
      );
      advance(60);
      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('got no certain answer'),
      );
      advance(90);

      await outputOf(() =>
        expect(h.sweep(sweepEvent(), context)).rejects.toThrow(
          'sweep incomplete: 1 error (resume stalled starts: 1)',
        ),
      );
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      advance(600);
      await outputOf(() => h.sweep(sweepEvent(), context));

      const record = await h.ledger.getRemediation('rem-evt-a');
      expect(record).toMatchObject({ state: 'escalated', escalation: { kind: 'verificationFailed' } });
      const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Message ?? '');
      expect(published).toHaveLength(1);
      expect(published[0]).toContain('no automation execution recorded');
      expect(published[0]).toContain('the start may have reached SSM');
      const tokens = new Set(
        ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input.ClientToken),
      );
      expect(tokens.size).toBe(1);
      expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
    });
  });

  describe("refused by SSM on Lambda's retry, after a redeploy", () => {
    /** A's first request timed out; Lambda's retry a minute later gets `refusal`. */
    async function retryRefused(h: Loaded, refusal: () => Error) {
      ssm
        .on(StartAutomationExecutionCommand)
        .rejectsOnce(timedOut())
        .rejectsOnce(refusal())
        .resolves({ AutomationExecutionId: EXECUTION_ID });
      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('got no certain answer'),
      );
      advance(60);
      return outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('was refused by SSM on resuming'),
      );
    }

    it('keeps the holds on AccessDeniedException: a redeploy may have taken the permission the first request had', async () => {
      const h = await load();

      const output = await retryRefused(h, accessDenied);

      expect(decisions(output)).toMatchObject([{ level: 'WARN', decision: { outcome: 'startUncertain' } }]);
      expect(decisions(output)[0]?.decision.reason).toContain(
        "SSM refused this function's permission to start it, which a redeploy may have taken away since the earlier request was let through",
      );
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(ssm.commandCalls(ListDocumentVersionsCommand)).toHaveLength(0);
      expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
    });

    it('keeps the holds when the refused document got a new default version after the first request', async () => {
      const h = await load();
      aws.documentDeployed(new Date(NOW_MS - 86_400_000), new Date(NOW_MS + 30_000));

      const output = await retryRefused(h, invalidParameters);

      expect(decisions(output)[0]?.decision.reason).toContain(
        "document SelfHeal-CleanupDirectory's default version 2 was created at 2026-11-27T03:13:30.000Z, after or less than 5 minutes before the earlier request could have been sent (from 2026-11-27T03:13:00.000Z, when remediation rem-evt-a was recorded)",
      );
      expect(ssm.commandCalls(ListDocumentVersionsCommand).map((c) => c.args[0].input)).toEqual([
        { Name: 'SelfHeal-CleanupDirectory', MaxResults: 50 },
      ]);
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'started' });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
    });

    it('keeps the holds when the versions cannot be read (the permission to read them not deployed yet)', async () => {
      const h = await load();
      const message = 'User is not authorized to perform: ssm:ListDocumentVersions';
      ssm
        .on(ListDocumentVersionsCommand)
        .rejects(
          new AccessDeniedException({ message, Message: message, $metadata: { httpStatusCode: 400 } }),
        );

      const output = await retryRefused(h, invalidParameters);

      expect(decisions(output)[0]?.decision.reason).toContain(
        `whether a redeploy changed document SelfHeal-CleanupDirectory since is unknown, as its versions could not be read: AccessDeniedException: ${message}; so its refusal says nothing about the earlier request`,
      );
      expect(await holdsOf(h)).toEqual({ global: 1, group: 1, lockFree: false });
    });

    it('fails and gives the holds back when the document was deployed long before the first request', async () => {
      const h = await load();
      aws.documentDeployed(new Date(NOW_MS - 86_400_000));
      ssm
        .on(StartAutomationExecutionCommand)
        .rejectsOnce(timedOut())
        .rejectsOnce(invalidParameters())
        .resolves({ AutomationExecutionId: EXECUTION_ID });
      await outputOf(() =>
        expect(h.alarm(alarmOn('evt-a', A), INVOCATION)).rejects.toThrow('got no certain answer'),
      );
      advance(60);

      let retried: EngineResult | undefined;
      await outputOf(async () => {
        retried = await h.alarm(alarmOn('evt-a', A), INVOCATION);
      });

      expect(retried).toMatchObject({ outcome: 'startFailed', escalation: { kind: 'startFailed' } });
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'failed' });
      expect(await holdsOf(h)).toEqual({ global: 0, group: 0, lockFree: true });
    });
  });

  describe('refused by SSM', () => {
    it.each([
      ['InvalidAutomationExecutionParametersException', invalidParameters],
      ['AccessDeniedException', accessDenied],
    ])(
      '%s (HTTP 400): fails and escalates it, gives the holds back, and the other instance starts',
      async (_what, error) => {
        const h = await load();
        ssm
          .on(StartAutomationExecutionCommand)
          .rejectsOnce(error())
          .resolves({ AutomationExecutionId: EXECUTION_ID });

        let first: EngineResult | undefined;
        await outputOf(async () => {
          first = await h.alarm(alarmOn('evt-a', A), INVOCATION);
        });

        expect(first).toMatchObject({ outcome: 'startFailed', escalation: { kind: 'startFailed' } });
        expect(first?.reason).toMatch(/^StartAutomationExecution refused by SSM: \w+: .+ \(HTTP 400\)$/);
        // A first start: no earlier request, so nothing is asked about the document.
        expect(ssm.commandCalls(ListDocumentVersionsCommand)).toHaveLength(0);
        expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({ state: 'failed' });
        expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
        let other: EngineResult | undefined;
        await outputOf(async () => {
          other = await h.alarm(alarmOn('evt-b', B), OTHER_INVOCATION);
        });
        expect(other).toMatchObject({ outcome: 'started' });
      },
    );

    it('ThrottlingException after the retries: waits blocked with the holds given back, nobody paged, and the other instance starts', async () => {
      const h = await load();
      ssm
        .on(StartAutomationExecutionCommand)
        .rejectsOnce(throttled())
        .resolves({ AutomationExecutionId: EXECUTION_ID });

      let first: EngineResult | undefined;
      await outputOf(async () => {
        first = await h.alarm(alarmOn('evt-a', A), INVOCATION);
      });

      expect(first).toMatchObject({ outcome: 'skipped' });
      expect(first?.reason).toContain(
        'ssmThrottled: StartAutomationExecution refused by SSM: ThrottlingException: Rate exceeded (HTTP 400)',
      );
      expect(ssm.commandCalls(ListDocumentVersionsCommand)).toHaveLength(0);
      expect(await h.ledger.getRemediation('rem-evt-a')).toMatchObject({
        state: 'blocked',
        blockedBy: 'ssmThrottled',
      });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      let other: EngineResult | undefined;
      await outputOf(async () => {
        other = await h.alarm(alarmOn('evt-b', B), OTHER_INVOCATION);
      });
      expect(other).toMatchObject({ outcome: 'started' });
    });
  });
});
