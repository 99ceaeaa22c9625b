import { aws_iam as iam, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The role SSM Automation assumes to run the remediation documents (passed as
 * AutomationAssumeRole). Trusts `ssm.amazonaws.com` only for Automation executions of this
 * account and region (`aws:SourceAccount`, `aws:SourceArn`: the confused-deputy guard).
 * Its permissions are a {@link RemediationAutomationPolicy}.
 */
export class RemediationAutomationRole extends iam.Role {
  constructor(scope: Construct, id: string) {
    const stack = Stack.of(scope);
    super(scope, id, {
      description: `Assumed by SSM Automation to run ${stack.stackName}'s remediation documents`,
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'ssm',
            resource: 'automation-execution',
            resourceName: '*',
          }),
        },
      }),
    });
  }
}
