/**
 * What the remediation handler tests that mock every AWS service but DynamoDB (which goes to moto)
 * share: the mocked clients with the answers most tests need, and the suite hooks. A file calls
 * {@link mockRemediationAws} at its top (aws-sdk-client-mock stubs a client class for the whole
 * file) and {@link useMotoSuite} with those mocks inside its `describe`, so nothing starts when
 * moto is missing and each file runs its own server.
 */
import { AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateOpsItemCommand,
  GetAutomationExecutionCommand,
  ListDocumentVersionsCommand,
  SSMClient,
  StartAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, vi } from 'vitest';
import type { MotoServer } from '../emulator/moto-server';
import { motoForSuite } from '../emulator/moto-suite';
import { ALARM, EXECUTION_ID, freezeDate, NOW_MS } from './remediation-setup';

/** The OpsItem id CreateOpsItem answers after {@link RemediationMocks.reset}. */
export const OPS_ITEM_ID = 'oi-0123456789ab';
/** The message id SNS Publish answers after {@link RemediationMocks.reset}. */
export const SNS_MESSAGE_ID = 'msg-1';

/** Mocks SSM, SNS, CloudWatch and Auto Scaling for the calling test file. */
export function mockRemediationAws() {
  const ssm = mockClient(SSMClient);
  const sns = mockClient(SNSClient);
  const cw = mockClient(CloudWatchClient);
  const asg = mockClient(AutoScalingClient);
  return {
    ssm,
    sns,
    cw,
    asg,
    /**
     * Forgets every call and answer, then answers: StartAutomationExecution with
     * `EXECUTION_ID`, GetAutomationExecution with status InProgress, CreateOpsItem with
     * {@link OPS_ITEM_ID}, Publish with {@link SNS_MESSAGE_ID}, DescribeAutoScalingInstances with
     * no instance (the instance is in no group).
     */
    reset(): void {
      for (const m of [ssm, sns, cw, asg]) m.reset();
      ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: EXECUTION_ID });
      ssm.on(GetAutomationExecutionCommand).resolves({
        AutomationExecution: { AutomationExecutionId: EXECUTION_ID, AutomationExecutionStatus: 'InProgress' },
      });
      ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: OPS_ITEM_ID });
      sns.on(PublishCommand).resolves({ MessageId: SNS_MESSAGE_ID });
      asg.on(DescribeAutoScalingInstancesCommand).resolves({ AutoScalingInstances: [] });
    },
    /**
     * ListDocumentVersions answers, for any document, version 1 created at `createdAt` and, when
     * `redeployedAt` is given, version 2 created then as the default (else version 1 is). Not
     * answered by default: only a resume SSM refused for the request itself asks (moto has no
     * ListDocumentVersions).
     */
    documentDeployed(createdAt: Date, redeployedAt?: Date): void {
      ssm.on(ListDocumentVersionsCommand).callsFake((input: { Name?: string }) => {
        const version = (DocumentVersion: string, CreatedDate: Date, IsDefaultVersion: boolean) => ({
          Name: input.Name,
          DocumentVersion,
          CreatedDate,
          IsDefaultVersion,
          DocumentFormat: 'YAML',
          Status: 'Active',
        });
        return {
          DocumentVersions:
            redeployedAt === undefined
              ? [version('1', createdAt, true)]
              : [version('2', redeployedAt, true), version('1', createdAt, false)],
        };
      });
    },
    /** DescribeAlarms reports the example alarm in `state`. */
    alarmIs(state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): void {
      cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: ALARM, StateValue: state }] });
    },
  };
}

/** The mocks {@link mockRemediationAws} returns. */
export type RemediationMocks = ReturnType<typeof mockRemediationAws>;

/**
 * The hooks of a remediation handler suite: moto started once for it and stopped after; before
 * each test, Date frozen at {@link NOW_MS} and `aws` reset to its default answers
 * ({@link RemediationMocks.reset}); after each, real timers and the environment restored. Returns
 * the running server.
 */
export function useMotoSuite(aws: RemediationMocks): () => MotoServer {
  const moto = motoForSuite();
  beforeEach(() => {
    freezeDate(NOW_MS);
    aws.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });
  return moto;
}
