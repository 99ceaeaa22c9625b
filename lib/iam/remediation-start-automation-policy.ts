import { aws_iam as iam, Stack, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Props of {@link RemediationStartAutomationPolicy}. */
export interface RemediationStartAutomationPolicyProps {
  /** Role the policy is attached to (the alarm handler's). */
  readonly role: iam.IRole;
  /** The role SSM Automation assumes; the only role that may be passed. */
  readonly automationRole: iam.IRole;
  /** Deployed names of the shipped documents the rules start (owned by this account). */
  readonly ownDocumentNames: readonly string[];
  /** AWS-owned documents the rules start, e.g. AWS-RestartEC2Instance. */
  readonly awsDocumentNames: readonly string[];
}

/**
 * `ssm:StartAutomationExecution` on the configured documents only (tagging the new execution with
 * `selfheal:*` keys), and `iam:PassRole` on the automation role only, for SSM only.
 *
 * IAM authorizes the start on the runbook's automation-definition ARN with the version that
 * runs: `…:automation-definition/<name>:$DEFAULT` when no version is given, a number otherwise
 * (public AccessDenied reports show `…/AWS-DisablePublicAccessForSecurityGroup:1`). AWS-owned
 * runbooks have an empty account field. So each name is listed as `<name>:*` (any version of that
 * one document; `*` after the colon cannot widen the name) plus its document ARN, which the
 * Systems Manager user guide's examples also list for StartAutomationExecution.
 */
export class RemediationStartAutomationPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: RemediationStartAutomationPolicyProps) {
    const own = [...new Set(props.ownDocumentNames)];
    const aws = [...new Set(props.awsDocumentNames)];
    if (own.length + aws.length === 0) {
      throw new Error(`${scope.node.path}/${id}: no documents given; pass the documents the rules start`);
    }
    const stack = Stack.of(scope);
    const arn = (resource: string, name: string, account?: string) =>
      stack.formatArn({ service: 'ssm', resource, resourceName: name, account });
    const resources = [
      ...own.flatMap((n) => [arn('automation-definition', `${n}:*`), arn('document', n)]),
      ...aws.flatMap((n) => [arn('automation-definition', `${n}:*`, ''), arn('document', n, '')]),
    ];
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'StartConfiguredDocumentsOnly',
          actions: ['ssm:StartAutomationExecution'],
          resources,
        }),
        new iam.PolicyStatement({
          sid: 'TagTheStartedExecutionsWithSelfhealKeys',
          actions: ['ssm:AddTagsToResource'],
          resources: [
            stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }),
          ],
          conditions: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['selfheal:*'] } },
        }),
        new iam.PolicyStatement({
          sid: 'PassOnlyTheAutomationRoleToSsm',
          actions: ['iam:PassRole'],
          resources: [props.automationRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        }),
      ],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]',
      reason:
        'StartAutomationExecution with Tags needs ssm:AddTagsToResource on the execution, whose id SSM generates; limited to this account and region and to tag keys selfheal:*.',
    });
    for (const name of own) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-definition/${name}:*]`,
        reason: `The * is the version of the one shipped document ${name} ($DEFAULT or the number IAM evaluates); the name is fixed.`,
      });
    }
    for (const name of aws) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>::automation-definition/${name}:*]`,
        reason: `The * is the version of the one AWS-owned runbook ${name} that a rule names ($DEFAULT or the number IAM evaluates); the name is fixed.`,
      });
    }
  }
}
