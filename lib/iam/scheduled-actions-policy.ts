import { ArnFormat, aws_iam as iam, Stack, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { scaledGroupNameProblem } from '../config/schema';

/** Props of {@link ScheduledActionsPolicy}. */
export interface ScheduledActionsPolicyProps {
  /** Role the policy is attached to. */
  readonly role: iam.IRole;
  /** Names of the Auto Scaling groups whose scheduled actions the role may write; at least one. */
  readonly autoScalingGroupNames: readonly string[];
}

/** The scheduled-action mutations, allowed only on the named groups' ARNs. */
export const SCHEDULED_ACTION_MUTATIONS = [
  'autoscaling:PutScheduledUpdateGroupAction',
  'autoscaling:BatchPutScheduledUpdateGroupAction',
  'autoscaling:DeleteScheduledAction',
  'autoscaling:BatchDeleteScheduledAction',
] as const;

/**
 * Write and delete scheduled actions on the configured groups only (targets in
 * `forecastAndScale` mode). Resources are the groups' ARNs by name:
 * `arn:<partition>:autoscaling:<region>:<account>:autoScalingGroup:*:autoScalingGroupName/<name>`.
 */
export class ScheduledActionsPolicy extends iam.Policy {
  constructor(scope: Construct, id: string, props: ScheduledActionsPolicyProps) {
    const names = [...new Set(props.autoScalingGroupNames)];
    if (names.length === 0) {
      throw new Error(
        `${scope.node.path}/${id}: autoScalingGroupNames is empty; pass at least one group name`,
      );
    }
    // The config schema refuses these names first; the same rule here covers direct use.
    const problems = names.flatMap((name) => {
      const problem = scaledGroupNameProblem(name);
      return problem === undefined ? [] : [`${JSON.stringify(name)}: ${problem}`];
    });
    if (problems.length > 0) {
      throw new Error(`${scope.node.path}/${id}: autoScalingGroupNames ${problems.join('; ')}`);
    }
    const stack = Stack.of(scope);
    const arns = names.map((name) =>
      stack.formatArn({
        service: 'autoscaling',
        resource: 'autoScalingGroup',
        resourceName: `*:autoScalingGroupName/${name}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    super(scope, id, {
      roles: [props.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteScheduledActionsOnConfiguredGroups',
          actions: [...SCHEDULED_ACTION_MUTATIONS],
          resources: arns,
        }),
      ],
    });
    for (const name of names) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${name}]`,
        reason: `The * stands for the group's UUID, which is unknown at synth time and changes if the group is recreated; the ARN is pinned to the group name "${name}", a target in forecastAndScale mode.`,
      });
    }
  }
}
