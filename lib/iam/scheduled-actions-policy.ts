import { ArnFormat, aws_iam as iam, Stack, Token, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { type ScaledGroupTag, scaledGroupNameProblem, scaledGroupTagSchema } from '../config/schema';
import {
  DEFAULT_MANAGED_POLICIES_PER_ROLE,
  MANAGED_POLICY_MAX_CHARS,
  packInOrder,
  policyChars,
} from './policy-size';

/** Props of {@link ScheduledActionsPolicy}. */
export interface ScheduledActionsPolicyProps {
  /** Role the policies are attached to. */
  readonly role: iam.IRole;
  /** Names of the Auto Scaling groups whose scheduled actions the role may write; at least one. */
  readonly autoScalingGroupNames: readonly string[];
  /**
   * Scope the actions by this tag on the groups instead of by their names: the role may then
   * write the scheduled actions of any group in the account and Region that carries the tag
   * (`aws:ResourceTag/<key>` equal to the value), so it fits one policy whatever the number of
   * groups. Every group named must carry it, or its writes are refused.
   * @default - each group's ARN by name, in as many managed policies as the ARNs need
   */
  readonly groupTag?: ScaledGroupTag;
  /**
   * Managed policies this construct may attach to the role: IAM's quota of managed policies per
   * role, less those the role has from elsewhere. Names needing more fail the synth.
   * @default 10 (IAM's default quota)
   */
  readonly maxManagedPolicies?: number;
}

/** The scheduled-action mutations, allowed only on the configured groups. */
export const SCHEDULED_ACTION_MUTATIONS = [
  'autoscaling:PutScheduledUpdateGroupAction',
  'autoscaling:BatchPutScheduledUpdateGroupAction',
  'autoscaling:DeleteScheduledAction',
  'autoscaling:BatchDeleteScheduledAction',
] as const;

const BY_NAME_SID = 'WriteScheduledActionsOnConfiguredGroups';
const BY_TAG_SID = 'WriteScheduledActionsOnTaggedGroups';

/**
 * Stand-ins for the ARN parts of an environment-agnostic stack when sizing its policies: as long
 * as the longest partition (`aws-us-gov`), longer than any Region name today (at most 15), and an
 * account id, so a policy sized with them fits wherever it is deployed.
 */
const LONGEST_ARN_PARTS = { partition: 'p'.repeat(10), region: 'r'.repeat(16), account: '0'.repeat(12) };

/**
 * Write and delete scheduled actions on the configured groups only (targets in
 * `forecastAndScale` mode), in customer-managed policies attached to the role. By default the
 * resources are the groups' ARNs by name,
 * `arn:<partition>:autoscaling:<region>:<account>:autoScalingGroup:*:autoScalingGroupName/<name>`,
 * packed in config order into as few policies as keep each within IAM's 6,144 characters (an
 * inline policy would count against the role's 10,240 characters for all its inline policies,
 * which some 80 groups exceed); more policies than the role may have fail the synth, naming
 * `groupTag`. With `groupTag`, one policy allows the groups that carry the tag.
 */
export class ScheduledActionsPolicy extends Construct {
  /** The customer-managed policies attached to the role, in order. */
  readonly policies: readonly iam.ManagedPolicy[];

  constructor(scope: Construct, id: string, props: ScheduledActionsPolicyProps) {
    super(scope, id);
    const names = [...new Set(props.autoScalingGroupNames)];
    if (names.length === 0) {
      throw new Error(`${this.node.path}: autoScalingGroupNames is empty; pass at least one group name`);
    }
    // The config schema refuses these names first; the same rule here covers direct use.
    const problems = names.flatMap((name) => {
      const problem = scaledGroupNameProblem(name);
      return problem === undefined ? [] : [`${JSON.stringify(name)}: ${problem}`];
    });
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: autoScalingGroupNames ${problems.join('; ')}`);
    }
    this.policies =
      props.groupTag === undefined
        ? this.byName(props.role, names, props.maxManagedPolicies ?? DEFAULT_MANAGED_POLICIES_PER_ROLE)
        : [this.byTag(props.role, props.groupTag)];
  }

  private byName(role: iam.IRole, names: readonly string[], maxPolicies: number): iam.ManagedPolicy[] {
    const stack = Stack.of(this);
    const known = (value: string, standIn: string) => (Token.isUnresolved(value) ? standIn : value);
    const sizing = {
      partition: known(stack.partition, LONGEST_ARN_PARTS.partition),
      region: known(stack.region, LONGEST_ARN_PARTS.region),
      account: known(stack.account, LONGEST_ARN_PARTS.account),
    };
    const parts = packInOrder(names, (name) => policyChars(groupArn(sizing, name)), {
      base: policyChars(documentOf(BY_NAME_SID, [])),
      separator: 1,
      max: MANAGED_POLICY_MAX_CHARS,
    });
    if (parts.length > maxPolicies) {
      const fitting = parts.slice(0, maxPolicies).reduce((sum, part) => sum + part.length, 0);
      throw new Error(
        `${this.node.path}: the ARNs of ${names.length} forecastAndScale groups need ${parts.length} managed policies of at most ${MANAGED_POLICY_MAX_CHARS} characters, more than the ${maxPolicies} this role may have (IAM's default quota is ${DEFAULT_MANAGED_POLICIES_PER_ROLE} managed policies per role); the first ${fitting} groups fit. Tag the groups and set predictiveScaling.scaledGroupTag (the groupTag prop) to scope the permissions by that tag in one policy, or keep some targets in forecastOnly`,
      );
    }
    return parts.map((part, i) => {
      const policy = new iam.ManagedPolicy(this, `Groups${i + 1}`, {
        roles: [role],
        description: `Scheduled actions of forecastAndScale groups by name (part ${i + 1} of ${parts.length}): ${this.node.path}`,
        statements: [
          new iam.PolicyStatement({
            sid: BY_NAME_SID,
            actions: [...SCHEDULED_ACTION_MUTATIONS],
            resources: part.map((name) =>
              stack.formatArn({
                service: 'autoscaling',
                resource: 'autoScalingGroup',
                resourceName: `*:autoScalingGroupName/${name}`,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ),
          }),
        ],
      });
      for (const name of part) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${name}]`,
          reason: `The * stands for the group's UUID, which is unknown at synth time and changes if the group is recreated; the ARN is pinned to the group name "${name}", a target in forecastAndScale mode.`,
        });
      }
      return policy;
    });
  }

  private byTag(role: iam.IRole, tag: ScaledGroupTag): iam.ManagedPolicy {
    const parsed = scaledGroupTagSchema.safeParse(tag);
    if (!parsed.success) {
      const why = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new Error(`${this.node.path}: groupTag ${JSON.stringify(tag)} cannot scope a policy (${why})`);
    }
    const policy = new iam.ManagedPolicy(this, 'TaggedGroups', {
      roles: [role],
      description: `Scheduled actions of the Auto Scaling groups tagged ${tag.key}=${tag.value}: ${this.node.path}`,
      statements: [
        new iam.PolicyStatement({
          sid: BY_TAG_SID,
          actions: [...SCHEDULED_ACTION_MUTATIONS],
          resources: [
            Stack.of(this).formatArn({
              service: 'autoscaling',
              resource: 'autoScalingGroup',
              resourceName: '*:autoScalingGroupName/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
          conditions: { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } },
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
      reason: `predictiveScaling.scaledGroupTag: the statement is limited by the aws:ResourceTag/${tag.key} condition to the groups tagged ${tag.key}=${tag.value} (the four scheduled-action mutations support it), so that any number of forecastAndScale groups fits one policy; only the groups of this account and Region.`,
    });
    return policy;
  }
}

/** The ARN of the group `name`, with the partition, Region and account given. */
function groupArn(env: { partition: string; region: string; account: string }, name: string): string {
  return `arn:${env.partition}:autoscaling:${env.region}:${env.account}:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

/** The policy document of the by-name statement on `resources`, as IAM receives it. */
function documentOf(sid: string, resources: readonly string[]): unknown {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Action: [...SCHEDULED_ACTION_MUTATIONS], Resource: resources }],
  };
}
