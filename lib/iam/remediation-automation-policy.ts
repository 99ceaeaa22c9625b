import { ArnFormat, aws_iam as iam, Stack, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ShippedDocument, SupportedAwsDocument } from '../config/remediation-schema';

/**
 * The statements each supported AWS-owned runbook needs, given the ARN of every instance. Keyed by
 * every name of SUPPORTED_AWS_DOCUMENTS (lib/config/remediation-schema.ts), which the config
 * check holds rules to: a name added there does not compile until its statements are added here.
 */
const AWS_DOCUMENT_STATEMENTS: Readonly<
  Record<SupportedAwsDocument, (instances: string) => iam.PolicyStatement[]>
> = {
  // Stops and starts the instance (aws:changeInstanceState), no reboot.
  'AWS-RestartEC2Instance': (instances) => [
    new iam.PolicyStatement({
      sid: 'StopAndStartInstances',
      actions: ['ec2:StopInstances', 'ec2:StartInstances'],
      resources: [instances],
    }),
    new iam.PolicyStatement({
      sid: 'WaitForInstanceState',
      actions: ['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus'],
      resources: ['*'],
    }),
  ],
};

/** Props of {@link RemediationAutomationPolicy}. */
export interface RemediationAutomationPolicyProps {
  /** The role SSM Automation assumes. */
  readonly role: iam.IRole;
  /** Shipped documents the rules start; only their needs are granted. */
  readonly shipped: readonly ShippedDocument[];
  /** AWS-owned documents the rules start (the config check allows only supported ones). */
  readonly aws: readonly SupportedAwsDocument[];
}

/**
 * Exactly what the configured documents do, statement by statement:
 * restart-service and cleanup-directory run AWS-RunShellScript through Run Command;
 * replace-unhealthy-instance reads Auto Scaling and sets one instance's health;
 * AWS-RestartEC2Instance stops and starts the instance (aws:changeInstanceState), no reboot.
 */
export class RemediationAutomationPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: RemediationAutomationPolicyProps) {
    const stack = Stack.of(scope);
    const instances = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
    const statements: iam.PolicyStatement[] = [];
    const acks: Array<[string, string]> = [];
    const runsShell = props.shipped.some((d) => d === 'restart-service' || d === 'cleanup-directory');
    if (runsShell) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'RunShellScriptOnInstances',
          actions: ['ssm:SendCommand'],
          resources: [
            stack.formatArn({
              service: 'ssm',
              account: '',
              resource: 'document',
              resourceName: 'AWS-RunShellScript',
            }),
            instances,
          ],
        }),
        new iam.PolicyStatement({
          sid: 'FollowCommands',
          actions: [
            'ssm:ListCommands',
            'ssm:ListCommandInvocations',
            'ssm:GetCommandInvocation',
            'ssm:DescribeInstanceInformation',
          ],
          resources: ['*'],
        }),
      );
    }
    if (props.shipped.includes('replace-unhealthy-instance')) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadAutoScaling',
          actions: ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeAutoScalingGroups'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'MarkInstanceUnhealthy',
          actions: ['autoscaling:SetInstanceHealth'],
          resources: [
            stack.formatArn({
              service: 'autoscaling',
              resource: 'autoScalingGroup',
              resourceName: '*:autoScalingGroupName/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
      acks.push([
        'Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*',
        'The group is found at run time from the alarmed instance (DescribeAutoScalingInstances); only SetInstanceHealth is allowed, which replaces one instance and never changes capacity, and the document refuses when the group would fall below MinSize.',
      ]);
    }
    for (const document of new Set(props.aws))
      statements.push(...AWS_DOCUMENT_STATEMENTS[document](instances));
    if (runsShell || props.aws.length > 0) {
      acks.push([
        'Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*',
        "The instance is chosen at run time from the alarm (its InstanceId dimension). IAM cannot tie this role's trust to a document: any SSM Automation execution of this account and region may assume it, and ssm:SendCommand on AWS-RunShellScript allows any commands. What limits it is who may pass the role: this stack grants iam:PassRole on it (to ssm.amazonaws.com only) to the alarm handler and the sweeper alone, which start only the enforced rules' documents (the shipped ones run fixed commands on pattern-checked parameters; AWS-RestartEC2Instance stops and starts). Any other principal given iam:PassRole on it (e.g. on *) could run any command on the instances.",
      ]);
    }
    if (statements.some((s) => s.resources.includes('*'))) {
      acks.push([
        'Resource::*',
        'Read-only actions without resource-level permissions: ssm:ListCommands/ListCommandInvocations/GetCommandInvocation/DescribeInstanceInformation (following Run Command), autoscaling:Describe*, ec2:DescribeInstances/DescribeInstanceStatus.',
      ]);
    }
    if (statements.length === 0) {
      throw new Error(`${scope.node.path}/${id}: no documents given; pass the documents the rules start`);
    }
    super(scope, id, { roles: [props.role], statements });
    for (const [finding, reason] of acks) {
      Validations.of(this).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
  }
}
